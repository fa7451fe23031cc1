// The Consentry demo's inspector: a panel in the corner of every demo page that shows, live, what
// the page holds and what Consentry did about it. It belongs to the demo, not to Consentry: the
// demo origin adds it to each page, after the gate.
//
// It shows:
//   - the consent, as consentry.get() gives it;
//   - the cookies of this page: every cookie the browser sends for it (the demo server reads them,
//     so HttpOnly cookies are included), each with the policy's decision, and whether the page's
//     scripts can see it in document.cookie (Consentry hides the cookies of categories that are
//     not granted);
//   - the localStorage and sessionStorage keys, with the policy's decision;
//   - what Consentry held or dropped (consentry.blocked()): kind, URL or name, category, service,
//     and why.
//
// The decisions come from the demo server (POST /_demo/inspect), which asks the same Go engine
// with the same policy as the page and the edge: the inspector decides nothing itself. It
// refreshes on consentry's events and, once a second, when what the page can see has changed (so
// that an idle page makes no requests). It writes no cookie and no storage key, so that it never
// shows up in its own lists, nor in an audit of the page.
(function () {
  "use strict";
  var api = window.consentry; // undefined on the pages served around Consentry (/broken/)
  var last = null;             // the demo server's last answer
  var signature = "";          // what the page could see at the last refresh
  var pending = 0;             // the debounce timer

  // ---- The panel, in a shadow root of its own so that the site's CSS does not reach it ----------
  var host = document.createElement("div");
  host.setAttribute("data-consentry-demo", "inspector");
  var root = host.attachShadow({ mode: "open" });
  root.innerHTML =
    "<style>" +
    ":host{all:initial}" +
    ".p{position:fixed;right:12px;top:76px;z-index:2147483646;width:min(27rem,calc(100vw - 24px));max-height:min(60vh,calc(100vh - 88px));display:flex;flex-direction:column;" +
    "font:13px/1.4 system-ui,sans-serif;color:#e8ecf4;background:#141a26f2;border:1px solid #3b4660;border-radius:10px;box-shadow:0 8px 28px #0007}" +
    "header{display:flex;align-items:center;gap:.5rem;padding:.5rem .75rem;border-bottom:1px solid #3b4660;cursor:default}" +
    "header strong{flex:1}.tag{font-size:11px;padding:0 .4rem;border-radius:1rem;background:#3b4660}" +
    ".b{overflow:auto;padding:.5rem .75rem .75rem}.p.closed .b{display:none}.p.closed header{border:0}" +
    "button{font:inherit;color:inherit;background:#2a3348;border:1px solid #4b587a;border-radius:6px;padding:.2rem .6rem;cursor:pointer}" +
    "button:hover{background:#36415c}button:focus-visible{outline:2px solid #8fb3ff;outline-offset:1px}" +
    ".actions{display:flex;gap:.4rem;margin:.5rem 0}" +
    "details{margin-top:.6rem}summary{cursor:pointer;font-weight:600}" +
    "ul{list-style:none;margin:.3rem 0 0;padding:0}li{padding:.3rem 0;border-top:1px solid #2a3348}" +
    "code{font:12px ui-monospace,Menlo,Consolas,monospace;word-break:break-all}" +
    ".d{display:block;color:#a9b4cc;font-size:12px}" +
    ".ok,.no,.wait{display:inline-block;font-size:11px;font-weight:600;padding:0 .35rem;border-radius:4px;margin-right:.35rem}" +
    ".ok{background:#1d5e3a;color:#c9f5da}.no{background:#7a2330;color:#ffd6dc}.wait{background:#6b5313;color:#ffeeb8}" +
    ".warn{background:#5a2a10;border:1px solid #c25400;border-radius:6px;padding:.4rem .5rem;margin:.4rem 0}" +
    ".muted{color:#a9b4cc}" +
    "</style>" +
    "<section class='p' aria-label='Consentry inspector'>" +
    "<header><strong>Consentry inspector</strong><span class='tag'>demo</span>" +
    "<button type='button' class='t' aria-expanded='true' aria-label='Hide the inspector'>–</button></header>" +
    "<div class='b'></div></section>";
  var panel = root.querySelector(".p"), body = root.querySelector(".b"), toggle = root.querySelector(".t");
  toggle.addEventListener("click", function () { show(panel.classList.contains("closed")); });
  function show(open) {
    panel.classList.toggle("closed", !open);
    toggle.setAttribute("aria-expanded", String(open));
    toggle.setAttribute("aria-label", open ? "Hide the inspector" : "Show the inspector");
    toggle.textContent = open ? "–" : "+";
  }
  show(window.innerWidth >= 900); // open where there is room for it beside the page
  document.documentElement.appendChild(host);

  // el makes an element; text is set as text, never parsed as HTML (names come from the page).
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // ---- What the page can see ---------------------------------------------------------------------
  function storageKeys(area) {
    var out = [];
    try {
      var s = window[area];
      for (var i = 0; i < s.length; i++) out.push(s.key(i));
    } catch (e) { /* storage disabled */ }
    return out.sort();
  }
  // visibleCookies is the names document.cookie shows the page's scripts (through the gate).
  function visibleCookies() {
    var out = {};
    document.cookie.split("; ").forEach(function (c) { if (c) out[c.split("=")[0]] = true; });
    return out;
  }
  function consentNow() { return api ? api.get() : null; }
  function blockedNow() { return api ? api.blocked() : []; }

  function currentSignature() {
    return [document.cookie, storageKeys("localStorage").join(","), storageKeys("sessionStorage").join(","),
      blockedNow().length, JSON.stringify(consentNow())].join("|");
  }

  // refresh asks the demo server for the decisions on what the page holds, then renders.
  function refresh() {
    clearTimeout(pending);
    pending = 0;
    signature = currentSignature();
    var req = { local: storageKeys("localStorage"), session: storageKeys("sessionStorage") };
    fetch("/_demo/inspect", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(req) })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) { if (j) last = j; render(); })
      .catch(function () { render(); });
  }
  function soon() { if (!pending) pending = setTimeout(refresh, 100); }

  // ---- Rendering ---------------------------------------------------------------------------------
  function label(id) {
    if (last) for (var i = 0; i < last.categories.length; i++) if (last.categories[i].id === id) return last.categories[i].label;
    return id;
  }
  // badge is the decision in a word: on a page without Consentry, what it would have blocked got
  // through, and is marked so.
  function badge(d) {
    if (d.allowed) return el("span", "ok", d.reason === "undeclared-reported" ? "allowed, reported" : "allowed");
    if (!api) return el("span", "no", "leaked");
    return el("span", d.reason === "pending" ? "wait" : "no", d.reason === "pending" ? "not yet" : "blocked");
  }
  // why says in words why the policy decides d so: its service and category, and the reason.
  function why(d) {
    var words = {
      required: "strictly necessary", granted: "granted", pending: "waits for the visitor's choice",
      denied: "the visitor said no", gpc: "denied by Global Privacy Control", "first-party": "first party",
      undeclared: "no service declares it: blocked", "undeclared-reported": "no service declares it: allowed and reported"
    };
    var w = words[d.reason] || d.reason;
    return d.service ? d.service + " · " + label(d.category) + " · " + w : w;
  }

  function render() {
    body.textContent = "";
    var consent = consentNow();
    if (!api) {
      body.appendChild(el("p", "warn", "Consentry is not on this page: it is served around the edge and without the gate, " +
        "as a page a site forgot. Nothing below was stopped; an audit reports it."));
    } else {
      var c = el("p");
      c.appendChild(el("strong", null, "Consent: "));
      c.appendChild(document.createTextNode(consent.decided
        ? "decided (" + consent.source + ", " + String(consent.at || "").replace("T", " ").slice(0, 19) + ")"
        : "not decided yet: only what is necessary runs"));
      c.appendChild(el("span", "d", "Granted: " + consent.granted.map(label).join(", ")));
      body.appendChild(c);
    }
    var actions = el("div", "actions");
    if (api) actions.appendChild(button("Cookie settings", function () { api.showPreferences(); }));
    actions.appendChild(button("Reset the demo", reset));
    body.appendChild(actions);

    if (!last) {
      body.appendChild(el("p", "muted", "Asking the demo server…"));
      return;
    }
    // Cookies: what the browser holds for this page, and what the page's scripts can see.
    var seen = visibleCookies();
    section("Cookies", last.cookies, "No cookies.", function (li, d) {
      li.appendChild(badge(d));
      li.appendChild(el("code", null, d.name));
      var note = why(d);
      if (!seen[d.name]) note += d.allowed || !api ? " · HttpOnly: scripts cannot read it" : " · hidden from the page's scripts";
      li.appendChild(el("span", "d", note));
    }, "The browser sends these with each request for this page; the edge removes the blocked ones before the site's server sees them.");
    section("Storage", last.storage, "No localStorage or sessionStorage keys.", function (li, d) {
      li.appendChild(badge(d));
      li.appendChild(el("code", null, d.name));
      li.appendChild(el("span", "d", d.area + "Storage · " + why(d)));
    });
    var granted = consent ? consent.granted : [];
    var blocked = blockedNow().reverse();
    section("Held or dropped by Consentry", blocked, api ? "Nothing so far." : "Consentry is not on this page.", function (li, b) {
      var released = b.state === "held" && b.category && granted.indexOf(b.category) >= 0;
      li.appendChild(el("span", released ? "ok" : b.state === "held" ? "wait" : "no", released ? "released" : b.state));
      li.appendChild(el("code", null, b.kind + " " + b.what));
      var reason = !b.service ? "no service of the policy declares it"
        : released ? "consent to " + label(b.category) + " was given"
        : b.state === "held" ? "waits for consent to " + label(b.category)
        : label(b.category) + " is not granted";
      li.appendChild(el("span", "d", (b.service ? b.service + " · " + label(b.category) + " · " : "") + reason));
    }, "Newest first. Held items run, in their order, once their category is granted.");
    body.appendChild(el("p", "d", "Demo only: the decisions above come from the same policy and Go engine that Consentry runs in the page and at the edge."));
  }

  function section(title, items, empty, row, hint) {
    var d = el("details");
    d.open = true;
    d.appendChild(el("summary", null, title + " (" + items.length + ")"));
    if (hint) d.appendChild(el("span", "d", hint));
    var ul = el("ul");
    if (!items.length) ul.appendChild(el("li", "muted", empty));
    items.forEach(function (it) { var li = el("li"); row(li, it); ul.appendChild(li); });
    d.appendChild(ul);
    body.appendChild(d);
  }
  function button(text, fn) {
    var b = el("button", null, text);
    b.type = "button";
    b.addEventListener("click", fn);
    return b;
  }

  // reset forgets everything the demo site left in this browser: the server expires every cookie
  // it is sent (and sends Clear-Site-Data), the page clears its storage, then reloads.
  function reset() {
    fetch("/_demo/reset", { method: "POST" }).finally(function () {
      try { localStorage.clear(); sessionStorage.clear(); } catch (e) { /* storage disabled */ }
      location.reload();
    });
  }

  // ---- When to refresh ---------------------------------------------------------------------------
  if (api) {
    api.on("ready", soon);
    api.on("change", soon);
    api.on("blocked", soon);
  }
  setInterval(function () { if (currentSignature() !== signature) soon(); }, 1000);
  refresh();
})();
