// The Consentry gate: the only JavaScript that runs before the Go engine (DESIGN §4).
//
// It runs synchronously, first in <head>. It installs holds on every vector of DESIGN §4 (cookies,
// storage, script/iframe/image insertion, beacons, fetch, XMLHttpRequest), then streams and
// instantiates the engine. Until the engine runs, nothing is released but what the engine itself
// allowed on an earlier page view for the very same consent (its snapshot, see loadSnap) and what
// the build found necessary in the policy (early). Once Go runs, every hook asks Go synchronously
// through exported functions (//go:wasmexport): the gate decides nothing of its own after that.
//
// The build (wasm/build.go) fills in the placeholders (comments between "@" signs) and minifies.
// Keep it plain ES2017: it runs before anything else on the page, in every browser we support.
(function () {
  "use strict";
  var W = window, D = document;
  if (W.consentry) return; // a second tag on the page: the first one rules

  var me = D.currentScript;
  var wasmName = /*@WASM@*/ "consentry.wasm";
  // What the build knows of the policy that the gate may apply before the engine runs (see
  // wasm/build.go, gateHints): the names of required cookies and storage keys ("n", exact; "p",
  // prefixes), and the paths that a service claims on some host ("c"), which are not first party
  // whatever the host. null in the generic build, which knows no policy: everything waits for Go.
  var hints = /*@HINTS@*/ null;
  var origin = location.origin + "/";
  var policyAttr = me && me.getAttribute("data-policy");
  var base = (me && me.src) || location.href;

  // Decision codes shared with the engine (wasm/engine/exports.go).
  var K_SCRIPT = 0, K_FRAME = 1, K_IMAGE = 2, K_CONNECT = 3, K_COOKIE = 8, K_STORAGE = 9;
  var MAX_HELD = 500; // holds beyond this are dropped (denied), so a runaway page cannot grow the queue
  var HELD = "data-consentry";

  var held = [];     // what waits for the engine, in the order the page did it
  var parked = [];   // elements the engine denied: released if consent changes to grant them
  var log = [];      // blocked(): what was held or dropped (bounded like held)
  var listeners = { ready: [], change: [], blocked: [] };
  var ex = null;     // the engine's exports once Go runs
  var mem8 = null, bufPtr = 0, bufLen = 0;
  var enc = new TextEncoder(), dec = new TextDecoder();
  var names = null;  // [[service id, category id], ...] from the engine, for blocked()
  var mine = new WeakSet();   // elements the gate created (released scripts)
  var seen = new WeakSet();   // elements already examined
  var pendingCookies = {};    // name -> "name=value" of writes held before the engine runs
  var pendingStorage = new Map(); // Storage -> Map(key -> value) held before the engine runs
  var snap;                   // Set of allowed decisions from the engine's snapshot; null: none; undefined: not read yet
  var gate = {};              // what Go sees of the gate (never on window)
  var resolveReady, rejectReady, state = null;
  var ready = new Promise(function (r, j) { resolveReady = r; rejectReady = j; });
  ready.catch(function () { /* the page need not listen: consentry:error says it too */ });
  var GPC = navigator.globalPrivacyControl === true;

  var cookieDesc = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  var nativeCookieGet = cookieDesc.get, nativeCookieSet = cookieDesc.set;
  var SP = Storage.prototype;
  var nGet = SP.getItem, nSet = SP.setItem, nRemove = SP.removeItem;
  var nFetch = W.fetch;
  var nInsertBefore = Node.prototype.insertBefore, nRemoveChild = Node.prototype.removeChild;
  // Storage is opened only when used: opening it costs a synchronous round trip to the browser.
  var lsDesc = Object.getOwnPropertyDescriptor(W, "localStorage");
  function nativeLS() { try { return lsDesc.get.call(W); } catch (e) { return null; } }

  // ---- Google Consent Mode v2: the default, before any other script runs -----------------------
  // hints.cm: {c: gtag commands, the first ["consent", "default", {...}], g: the types the GPC signal
  // denies} (wasm/banner/consentmode.go); absent when no category names a consent type. Each
  // command goes into dataLayer as an Arguments object, as Google's gtag() pushes it.
  var CM_KEY = "consentry:cm", cmLast = "";
  function gtag() { (W.dataLayer = W.dataLayer || []).push(arguments); }
  if (hints && hints.cm) {
    for (var ci = 0; ci < hints.cm.c.length; ci++) {
      var cmd = hints.cm.c[ci];
      if (GPC && ci === 0) for (var gi = 0; gi < hints.cm.g.length; gi++) cmd[2][hints.cm.g[gi]] = "denied";
      gtag.apply(null, cmd);
    }
  }
  // loadCM pushes the engine's last update when this page view has the same consent cookie and
  // engine build, so that a Google tag the snapshot releases before the engine runs sees it. It
  // runs with loadSnap, at the first decision the gate makes before the engine: opening storage
  // costs milliseconds that the gate's synchronous run must not spend (Chromium 156, 2026-11).
  function loadCM() {
    if (!hints || !hints.cm) return;
    try {
      var cm = (nGet.call(nativeLS(), CM_KEY) || "").split("\t"); // wasm, cookie name, cookie value, update
      if (cm.length === 4 && cm[0] === wasmName && readCookie(cm[1]) === cm[2]) {
        gtag("consent", "update", JSON.parse(cm[3]));
        cmLast = cm[3];
      }
    } catch (e) { /* no stored update */ }
  }

  function emit(type, detail) {
    var l = listeners[type];
    for (var i = 0; i < l.length; i++) { try { l[i](detail); } catch (e) { setTimeout(function () { throw e; }); } }
  }

  // record notes a hold or a drop for blocked() and the "blocked" event.
  function record(kind, what, r, state) {
    var s = r >> 5, e = { kind: kind, what: what, state: state, category: "", service: "" };
    if (names && s > 0 && names[s - 1]) { e.service = names[s - 1][0]; e.category = names[s - 1][1]; }
    if (log.length >= MAX_HELD) log.shift();
    log.push(e);
    emit("blocked", e);
  }

  // ---- Decisions -------------------------------------------------------------------------------
  // decide returns the engine's packed decision (bit 0: allowed; bits 1-4: reason; bits 5+: service
  // index + 1), or -1 while the engine is not running and its snapshot does not know the answer.
  function decide(kind, s) {
    s = String(s);
    if (!ex) {
      if (early(kind, s)) return 1; // before the snapshot: reading it opens localStorage
      if (snap === undefined) loadSnap();
      if (snap && snap.has(kind + ":" + s)) {
        if (toConfirm.length < MAX_HELD) toConfirm.push([kind, s]);
        return 1;
      }
      return -1;
    }
    return ex.consentryDecide(kind, put(s));
  }
  // toConfirm lists what the snapshot allowed before the engine ran: the engine decides each once it
  // runs (so that its next snapshot has them too), and a disagreement is reported.
  var toConfirm = [];
  // early allows, before the engine runs, what the policy says is necessary: a request to the page's
  // own origin or to a host the engine allows for everyone (hints.h: "host", "*.domain") outside the
  // paths services claim, a URL that contacts no host, and the required categories' cookies and
  // keys. So the page keeps working when the engine is slow or cannot load at all.
  function early(kind, s) {
    if (!hints) return false;
    var i, x, p;
    if (kind <= K_CONNECT) {
      if (/^(data|javascript|about):/.test(s)) return true; // the engine allows these too
      try { x = new URL(s.lastIndexOf("blob:", 0) ? s : s.slice(5)); } catch (e) { return false; }
      if (x.origin + "/" !== origin) {
        for (i = 0, p = x.hostname; i < hints.h.length; i++) {
          if (hints.h[i] === p || hints.h[i] === "*." + p || hints.h[i][0] === "*" && p.endsWith(hints.h[i].slice(1))) break;
        }
        if (i === hints.h.length) return false;
      }
      p = x.pathname + x.search;
      for (i = 0; i < hints.c.length; i++) if (!p.lastIndexOf(hints.c[i], 0)) return false;
      return true;
    }
    var l = kind === K_COOKIE ? hints.cookies : hints.storage;
    if (l.n.indexOf(s) >= 0) return true;
    for (i = 0; i < l.p.length; i++) if (s.lastIndexOf(l.p[i], 0) === 0) return true;
    return false;
  }
  // put writes s into the engine's buffer (Go's memory) and returns its length in bytes.
  function put(s) {
    if (!mem8 || !mem8.byteLength) mem8 = new Uint8Array(ex.mem.buffer, bufPtr, bufLen);
    return enc.encodeInto(s, mem8).written;
  }
  // decideLabel decides explicit markup by its category or service id.
  function decideLabel(l) {
    if (!ex) {
      if (hints && hints.l.indexOf(l) >= 0) return 1; // a required category or service
      if (snap === undefined) loadSnap();
      if (!snap || !snap.has("10:" + l)) return -1;
      if (toConfirm.length < MAX_HELD) toConfirm.push([10, l]);
      return 1;
    }
    return ex.consentryDecideLabel(put(l));
  }
  function label(el) { return el.getAttribute(HELD + "-service") || el.getAttribute(HELD) || ""; }
  function url(u) { try { return new URL(u, D.baseURI).href; } catch (e) { return String(u); } }
  function hold(item) {
    if (held.length >= MAX_HELD) { record(item.k, item.what, 0, "dropped"); return false; }
    held.push(item);
    return true;
  }

  // ---- The snapshot: the engine's own earlier decisions for this very consent -----------------
  // Go writes it (consentrySnap) after it runs; the gate applies it before Go runs on later page
  // views so that allowed scripts need not wait for the engine. It is used only when the engine
  // build, the consent cookie, the host and the GPC signal are all the same as when Go wrote it,
  // and before the decision's lifetime ends. It lists allowed decisions only: anything it does not
  // list is held until Go decides, so a stale or forged snapshot cannot release more than Go would
  // have for the cookie the visitor holds (a visitor may forge their own consent anyway).
  function loadSnap() {
    snap = null;
    loadCM();
    try {
      var s = nGet.call(nativeLS(), "consentry:snap");
      if (!s) return;
      var lines = s.split("\n"), h = lines[0].split("\t");
      // h: version, wasm name, host, gpc, expiry (unix s), cookie name, cookie value
      if (h[0] !== "1" || h[1] !== wasmName || h[2] !== location.hostname || h[3] !== (GPC ? "1" : "0") ||
        +h[4] * 1000 < Date.now() || readCookie(h[5]) !== h[6]) return;
      snap = new Set(lines.slice(1));
    } catch (e) { /* no snapshot */ }
  }
  function readCookie(name) {
    var all = nativeCookieGet.call(D).split("; ");
    for (var i = 0; i < all.length; i++) {
      var j = all[i].indexOf("=");
      if ((j < 0 ? "" : all[i].slice(0, j)) === name) return all[i].slice(j + 1);
    }
    return "";
  }

  // ---- Cookies ---------------------------------------------------------------------------------
  function cookieName(s) {
    var i = s.indexOf("="), semi = s.indexOf(";");
    if (i < 0 || (semi >= 0 && semi < i)) return "";
    return s.slice(0, i).trim();
  }
  function writeCookie(doc, setter, s) {
    s = String(s);
    var n = cookieName(s), r = decide(K_COOKIE, n);
    if (r < 0) {
      if (hold({ k: "cookie", what: n, run: function () { writeCookie(doc, setter, s); } })) {
        pendingCookies[n] = s.split(";")[0].trim();
      }
      return;
    }
    if (r & 1) setter.call(doc, s);
    else record("cookie", n, r, "dropped");
  }
  var lastRaw = null, lastFiltered = "";
  function readCookies(doc, getter) {
    var raw = getter.call(doc);
    if (!ex) {
      // Before the engine: the page sees its own held writes (reads stay consistent).
      var extra = [];
      for (var n in pendingCookies) extra.push(pendingCookies[n]);
      if (!extra.length) return raw;
      var parts = raw ? raw.split("; ") : [], out = [];
      for (var i = 0; i < parts.length; i++) if (!(cookieName(parts[i] + ";") in pendingCookies)) out.push(parts[i]);
      return out.concat(extra).join("; ");
    }
    if (raw === lastRaw) return lastFiltered;
    var list = raw ? raw.split("; ") : [], kept = [];
    for (var j = 0; j < list.length; j++) {
      var eq = list[j].indexOf("=");
      if (decide(K_COOKIE, eq < 0 ? "" : list[j].slice(0, eq)) & 1) kept.push(list[j]);
    }
    lastRaw = raw;
    lastFiltered = kept.join("; ");
    return lastFiltered;
  }

  // ---- Storage ---------------------------------------------------------------------------------
  var targets = new WeakMap(); // storage Proxy -> the real Storage
  function real(st) { return targets.get(st) || st; }
  function setStorage(st, k, v) {
    st = real(st); k = String(k); v = String(v);
    var r = decide(K_STORAGE, k);
    if (r < 0) {
      if (!hold({ k: "storage", what: k, run: function () { pendingOf(st).delete(k); setStorage(st, k, v); } })) return;
      pendingOf(st).set(k, v);
      return;
    }
    if (r & 1) nSet.call(st, k, v);
    else record("storage", k, r, "dropped");
  }
  function pendingOf(st) {
    var m = pendingStorage.get(st);
    if (!m) pendingStorage.set(st, m = new Map());
    return m;
  }
  function getStorage(st, k) {
    st = real(st); k = String(k);
    var m = pendingStorage.get(st);
    if (m && m.has(k)) return m.get(k);
    return nGet.call(st, k);
  }
  // A Proxy stands in for localStorage and sessionStorage so that `storage.key = v` and
  // `storage["key"] = v`, which no prototype hook sees, go through the same decision.
  function storageProxy(st, proto) {
    var bound = {};
    var p = new Proxy(st, {
      get: function (t, k) {
        if (typeof k === "string" && !(k in proto)) {
          var v = getStorage(t, k);
          return v === null ? undefined : v;
        }
        var x = Reflect.get(t, k, t);
        if (typeof x !== "function") return x;
        return bound[k] || (bound[k] = function () { return x.apply(t, arguments); });
      },
      set: function (t, k, v) {
        if (typeof k === "string" && !(k in proto)) setStorage(t, k, v);
        else Reflect.set(t, k, v, t);
        return true;
      },
      deleteProperty: function (t, k) { pendingOf(t).delete(String(k)); return Reflect.deleteProperty(t, k); }
    });
    targets.set(p, st);
    return p;
  }

  // ---- Elements: scripts, iframes, images -------------------------------------------------------
  // The script types that run (HTML's "JavaScript MIME type essence match", and module).
  var JS_TYPES = /^(|module|(text|application)\/(x-)?(java|ecma)script|text\/(jscript|livescript|javascript1\.[0-5]))$/i;
  function isExplicit(el) { return el.getAttribute("type") === "text/plain" && el.hasAttribute(HELD); }
  function kindOf(el) { return el.tagName === "SCRIPT" ? K_SCRIPT : el.tagName === "IFRAME" ? K_FRAME : K_IMAGE; }

  // heldForm turns an element into the held form of DESIGN §4 (the same the edge writes), in which
  // it neither runs nor loads: scripts get type="text/plain" (the original type is kept in
  // data-consentry-type), and src (srcset) moves to data-consentry-src (-srcset).
  function heldForm(el, sa) {
    if (el.tagName === "SCRIPT") {
      if (!el.hasAttribute(HELD + "-type")) sa.call(el, HELD + "-type", el.getAttribute("type") || "");
      sa.call(el, "type", "text/plain");
    }
    if (!el.hasAttribute(HELD)) sa.call(el, HELD, "");
    var src = el.getAttribute("src");
    if (src !== null && (el.tagName !== "IFRAME" || src !== "about:blank")) {
      sa.call(el, HELD + "-src", src);
      el.removeAttribute("src");
      // An iframe in the document is navigating already. Setting its src to about:blank does not
      // cancel that reliably (Chromium 156 committed the vendor's document after it in most views
      // with a warm cache, 2026-11); taking the iframe out of the document does: its frame goes,
      // and putting it back makes an empty one. (The request may have left by then: the parser
      // starts the navigation before any script can see the iframe; the edge's rewrite stops it.)
      if (el.tagName === "IFRAME" && el.isConnected) {
        var p = el.parentNode, next = el.nextSibling;
        nRemoveChild.call(p, el);
        nInsertBefore.call(p, el, next);
      }
    }
    var set = el.getAttribute("srcset");
    if (set !== null) { sa.call(el, HELD + "-srcset", set); el.removeAttribute("srcset"); }
  }

  // examine decides an element the page is about to insert (or that the parser inserted) and leaves
  // it alone, or puts it in its held form and queues it. It returns nothing; see heldForm.
  function examine(el, sa, parser) {
    if (mine.has(el) || seen.has(el)) return;
    seen.add(el);
    var tag = el.tagName, kind = kindOf(el), src;
    // The held form (explicit markup, the edge's rewrite): any src it has is a placeholder.
    if (isExplicit(el) || el.hasAttribute(HELD + "-src")) {
      src = el.getAttribute(HELD + "-src") || "";
    } else if (tag === "SCRIPT") {
      src = el.getAttribute("src");
      if (src === null || !JS_TYPES.test((el.getAttribute("type") || "").trim())) return; // inline or data
      // While a parser-inserted script waits, the ones after it wait too: they run in document order.
      if (parser && (barrier || order.length)) { queueEl(el, sa, url(src), parser, -1); return; }
    } else {
      src = el.getAttribute("src") || el.getAttribute("srcset");
      if (!src || src === "about:blank") return;
    }
    var u = src ? url(src.split(/[\s,]/)[0] || src) : "", l = label(el);
    // An iframe in the document is loading already: unless the gate allows it by itself, it is
    // stopped before the snapshot is read (opening localStorage can take longer than the request).
    if (kind === K_FRAME && el.isConnected && !ex && snap === undefined && !el.hasAttribute(HELD + "-src") &&
      !(l ? hints && hints.l.indexOf(l) >= 0 : early(K_FRAME, u))) heldForm(el, sa);
    var r = l ? decideLabel(l) : u ? decide(kind, u) : -1;
    if (r >= 0 && r & 1 && !el.hasAttribute(HELD)) return;
    queueEl(el, sa, u, parser, r);
  }
  var barrier = false; // a parser-inserted script is waiting: later parser-inserted scripts wait too
  // soft says that nothing the gate holds can run before the visitor decides (hints.g, and no
  // consent cookie): a held script then keeps the later ones from nothing, so the page's own
  // scripts run where the page has them, deferred ones before DOMContentLoaded. (Had the vendor's
  // script run, it would have run first; if the visitor grants it later, it runs after them, as it
  // would on any page where consent comes after the page's own code.)
  var softNoDecision;
  function soft() {
    if (softNoDecision === undefined) softNoDecision = !!(hints && hints.g && !readCookie(hints.k));
    return softNoDecision;
  }
  function queueEl(el, sa, u, parser, r) {
    if (!isExplicit(el) && !el.hasAttribute(HELD + "-src")) heldForm(el, sa);
    var item = { k: el.tagName.toLowerCase(), what: u, el: el, sa: sa, parser: parser };
    if (r < 0 && !ex) {
      if (parser && el.tagName === "SCRIPT" && !el.hasAttribute("async") && !soft()) barrier = true;
      if (!hold(item)) return;
      record(item.k, u, 0, "held");
    } else settleEl(item, r);
  }

  // settleEl applies a decision to a held element: explicit markup is decided by its category or
  // service (the site said what it is), anything else by its URL.
  function settleEl(item, r) {
    var l = label(item.el);
    if (l) r = decideLabel(l);
    else if (r < 0) r = item.what ? decide(kindOf(item.el), item.what) : 0;
    if (r >= 0 && r & 1) return release(item);
    parked.push(item);
    record(item.k, item.what || l, r, "held");
    if (item.el.tagName === "IFRAME" && gate.placeholder) gate.placeholder(item.el, r >> 5);
  }

  // Release restores an element. Scripts are re-created (a script element runs at most once), in
  // the order the page would have run them: classic scripts that block the parser first, then
  // defer and module scripts once the document is parsed, async ones whenever they load.
  var order = [], pumping = false;
  function release(item) {
    var el = item.el;
    if (el.tagName !== "SCRIPT") {
      var s = el.getAttribute(HELD + "-src"), ss = el.getAttribute(HELD + "-srcset");
      el.removeAttribute(HELD + "-src"); el.removeAttribute(HELD + "-srcset");
      if (ss !== null) item.sa.call(el, "srcset", ss);
      if (s !== null) item.sa.call(el, "src", s);
      if (el.__consentryPlaceholder) { el.__consentryPlaceholder.remove(); el.__consentryPlaceholder = null; }
      el.style.removeProperty("display");
      return;
    }
    order.push(item);
    if (!pumping) { pumping = true; Promise.resolve().then(pump); }
  }
  function cls(el) {
    var t = el.getAttribute(HELD + "-type");
    if (el.hasAttribute("async")) return 2;
    if (t === "module" || el.hasAttribute("defer")) return 1;
    return 0;
  }
  function pump() {
    pumping = false;
    var wait = null;
    order.sort(function (a, b) { return cls(a.el) - cls(b.el); }); // stable: document order within a class
    while (order.length) {
      var item = order[0], c = cls(item.el);
      if (c === 1 && D.readyState === "loading") {
        D.addEventListener("DOMContentLoaded", function () { if (!pumping) { pumping = true; pump(); } }, { once: true });
        return;
      }
      var inline = !item.el.hasAttribute(HELD + "-src");
      if (inline && wait) { wait.then(function () { pump(); }); pumping = true; return; }
      order.shift();
      var s = run(item);
      if (!inline && c !== 2) {
        var p = new Promise(function (res) { s.addEventListener("load", res); s.addEventListener("error", res); });
        wait = wait ? Promise.all([wait, p]) : p;
      }
    }
  }
  function run(item) {
    var el = item.el, doc = el.ownerDocument, s = doc.createElement("script");
    mine.add(s);
    for (var i = 0; i < el.attributes.length; i++) {
      var a = el.attributes[i];
      if (a.name !== "type" && a.name.lastIndexOf(HELD, 0) !== 0) s.setAttribute(a.name, a.value);
    }
    var t = el.getAttribute(HELD + "-type");
    if (t) s.setAttribute("type", t);
    if (el.nonce) s.nonce = el.nonce;
    var src = el.getAttribute(HELD + "-src");
    if (src !== null) { s.src = src; if (!el.hasAttribute("async")) s.async = false; }
    else s.text = el.text;
    if (el.parentNode) el.parentNode.replaceChild(s, el);
    else (doc.head || doc.documentElement).appendChild(s);
    return s;
  }

  // ---- Network ---------------------------------------------------------------------------------
  function netDecision(u) { return decide(K_CONNECT, url(u)); }
  function networkError() { return Promise.reject(new TypeError("Failed to fetch (blocked by Consentry)")); }

  // ---- Hooking a window ------------------------------------------------------------------------
  var hookedProtos = new WeakSet();
  function tryHook(w) {
    try { if (w && w.Document && !hookedProtos.has(w.Document.prototype)) hook(w); } catch (e) { /* cross-origin */ }
  }
  function accessor(proto, prop, get, set) {
    var d = Object.getOwnPropertyDescriptor(proto, prop);
    if (!d) return null;
    Object.defineProperty(proto, prop, {
      configurable: true, enumerable: d.enumerable,
      get: get ? function () { return get.call(this, d.get); } : d.get,
      set: set ? function (v) { set.call(this, v, d.set); } : d.set
    });
    return d;
  }
  function wrap(obj, name, fn) {
    var orig = obj && obj[name];
    if (typeof orig !== "function") return null;
    obj[name] = fn(orig);
    return orig;
  }

  function hook(w) {
    var Dp = w.Document.prototype, Ep = w.Element.prototype, Np = w.Node.prototype;
    hookedProtos.add(Dp);
    var doc = w.document;
    var sa = Ep.setAttribute;
    var cd = Object.getOwnPropertyDescriptor(Dp, "cookie");

    // Cookies.
    Object.defineProperty(Dp, "cookie", {
      configurable: true, enumerable: true,
      get: function () { return readCookies(this, cd.get); },
      set: function (v) { writeCookie(this, cd.set, v); }
    });
    if (w.CookieStore) {
      var CS = w.CookieStore.prototype;
      wrap(CS, "set", function (orig) {
        return function (a, b) {
          var st = this, args = arguments, n = typeof a === "object" && a ? a.name : a;
          var go = function (r) {
            if (r & 1) return orig.apply(st, args);
            record("cookie", n, r, "dropped");
            return Promise.resolve();
          };
          var r = decide(K_COOKIE, n);
          return r < 0 ? ready.then(function () { return go(decide(K_COOKIE, n)); }) : go(r);
        };
      });
    }

    // Storage: prototype methods, and a Proxy for property assignment.
    var Sp = w.Storage.prototype;
    Sp.setItem = function (k, v) {
      if (arguments.length < 2) return nSet.apply(real(this), arguments); // the native TypeError
      setStorage(this, k, v);
    };
    Sp.getItem = function (k) { return getStorage(this, k); };
    ["removeItem", "clear"].forEach(function (m) {
      var o = Sp[m];
      Sp[m] = function () {
        var t = real(this);
        if (m === "removeItem") pendingOf(t).delete(String(arguments[0]));
        if (m === "clear") pendingOf(t).clear();
        return o.apply(t, arguments);
      };
    });
    ["localStorage", "sessionStorage"].forEach(function (n) {
      var d = Object.getOwnPropertyDescriptor(w, n), p;
      if (!d || !d.get) return;
      Object.defineProperty(w, n, {
        configurable: true, enumerable: true,
        get: function () { return p || (p = storageProxy(d.get.call(w), Sp)); }
      });
    });

    // Element insertion, by every method the DOM has.
    function prep(n, parser) {
      if (!n || n.nodeType !== 1 && n.nodeType !== 11) return;
      if (n.nodeType === 1 && (n.tagName === "SCRIPT" || n.tagName === "IFRAME" || n.tagName === "IMG")) examine(n, sa, parser);
      if (n.firstElementChild) {
        var l = n.querySelectorAll("script,iframe,img");
        for (var i = 0; i < l.length; i++) examine(l[i], sa, parser);
      }
    }
    function after(n) {
      if (n && n.nodeType === 1 && n.tagName === "IFRAME") tryHook(n.contentWindow);
      else if (n && n.firstElementChild && n.isConnected) {
        var l = n.querySelectorAll("iframe");
        for (var i = 0; i < l.length; i++) tryHook(l[i].contentWindow);
      }
    }
    // insertion wraps an insertion method; from is the index of its first node argument (the
    // element of insertAdjacentElement is its second argument; every other argument is a node).
    function insertion(proto, m, from) {
      if (!Object.prototype.hasOwnProperty.call(proto, m)) return;
      wrap(proto, m, function (orig) {
        return function () {
          var i, a = arguments, n = m === "insertBefore" || m === "replaceChild" ? 1 : a.length;
          for (i = from; i < n; i++) prep(a[i]);
          var r = orig.apply(this, a);
          for (i = from; i < n; i++) after(a[i]);
          return r;
        };
      });
    }
    insertion(Np, "appendChild", 0);
    insertion(Np, "insertBefore", 0);
    insertion(Np, "replaceChild", 0);
    insertion(Ep, "insertAdjacentElement", 1);
    ["append", "prepend", "before", "after", "replaceWith", "replaceChildren"].forEach(function (m) {
      [Ep, w.DocumentFragment.prototype, Dp, w.CharacterData.prototype].forEach(function (p) { insertion(p, m, 0); });
    });

    // HTML strings: images and iframes in them would load as soon as the markup is parsed, so the
    // markup is parsed inert (in a <template>) first, examined, then inserted.
    var LOADS = /<(iframe|img|script)/i;
    function inert(html) {
      var t = doc.createElement("template");
      ih.set.call(t, html);
      prep(t.content);
      return t.content;
    }
    var ih = accessor(Ep, "innerHTML", null, function (v, set) {
      if (!LOADS.test(v) || this instanceof w.HTMLTemplateElement) return set.call(this, v);
      var f = inert(v);
      set.call(this, "");
      Np.appendChild.call(this, f);
      after(this);
    });
    var where = { beforebegin: "before", afterbegin: "prepend", beforeend: "append", afterend: "after" };
    wrap(Ep, "insertAdjacentHTML", function (orig) {
      return function (pos, html) {
        var m = where[String(pos).toLowerCase()];
        if (!m || !LOADS.test(html)) return orig.apply(this, arguments);
        this[m](inert(html));
      };
    });

    // document.write: the parser runs the written markup before any observer could see it, so its
    // tags are rewritten to the held form first.
    var TAG = /<(script|iframe|img)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
    var ATTRS = /\s(src|srcset|type)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;
    function rewrite(html) {
      return String(html).replace(TAG, function (all, tag, attrs) {
        var a = {}, m, k = { script: K_SCRIPT, iframe: K_FRAME }[tag.toLowerCase()];
        if (k === undefined) k = K_IMAGE;
        ATTRS.lastIndex = 0;
        while ((m = ATTRS.exec(attrs))) a[m[1].toLowerCase()] = m[2].replace(/^["']|["']$/g, "");
        var src = a.src || a.srcset, r;
        if (!src || /\sdata-consentry/i.test(attrs) || k === K_SCRIPT && !JS_TYPES.test((a.type || "").trim()) ||
          (r = decide(k, url(src.split(/[\s,]/)[0]))) >= 0 && r & 1) return all;
        return "<" + tag + ' data-consentry=""' + (k === K_SCRIPT ? ' type="text/plain"' : "") +
          attrs.replace(ATTRS, " data-consentry-$1=$2") + ">";
      });
    }
    ["write", "writeln"].forEach(function (m) {
      wrap(Dp, m, function (orig) {
        return function () {
          var a = [];
          for (var i = 0; i < arguments.length; i++) a.push(rewrite(arguments[i]));
          return orig.apply(this, a);
        };
      });
    });

    // Attributes and properties that start a load.
    function urlProp(proto, prop, kind) {
      accessor(proto, prop, null, function (v, set) { setURL(this, prop, v, kind, function (x) { set.call(this, x); }); });
    }
    function setURL(el, prop, v, kind, set) {
      if (el.tagName === "SCRIPT" && !el.isConnected) return set.call(el, v); // decided when inserted
      if (kind === K_FRAME && !el.isConnected) return set.call(el, v);
      var u = prop === "srcset" ? String(v).trim().split(/[\s,]/)[0] : String(v);
      var r = decide(kind, url(u));
      if (r >= 0 && r & 1) return set.call(el, v);
      sa.call(el, HELD + "-" + prop, v);
      if (!el.hasAttribute(HELD)) { // not queued yet
        seen.add(el);
        sa.call(el, HELD, "");
        var item = { k: el.tagName.toLowerCase(), what: url(u), el: el, sa: sa };
        if (r < 0) { if (hold(item)) record(item.k, item.what, 0, "held"); } else settleEl(item, r);
      }
    }
    urlProp(w.HTMLScriptElement.prototype, "src", K_SCRIPT);
    urlProp(w.HTMLImageElement.prototype, "src", K_IMAGE);
    urlProp(w.HTMLImageElement.prototype, "srcset", K_IMAGE);
    urlProp(w.HTMLIFrameElement.prototype, "src", K_FRAME);
    Ep.setAttribute = function (n, v) {
      var t = this.tagName, l = String(n).toLowerCase();
      if ((t === "IMG" && (l === "src" || l === "srcset")) || ((t === "IFRAME" || t === "SCRIPT") && l === "src")) {
        return setURL(this, l, v, kindOf(this), function (x) { sa.call(this, n, x); });
      }
      return sa.call(this, n, v);
    };
    ["contentWindow", "contentDocument"].forEach(function (p) {
      accessor(w.HTMLIFrameElement.prototype, p, function (g) {
        var x = g.call(this);
        if (x) tryHook(p === "contentWindow" ? x : x.defaultView);
        return x;
      });
    });

    // Beacons, fetch and XMLHttpRequest.
    var nav = w.Navigator.prototype;
    wrap(nav, "sendBeacon", function (orig) {
      return function (u, data) {
        var r = netDecision(u), n = this;
        if (r < 0) return hold({ k: "beacon", what: url(u), run: function () { if (netDecision(u) & 1) orig.call(n, u, data); } });
        if (r & 1) return orig.call(this, u, data);
        record("beacon", url(u), r, "dropped");
        return false;
      };
    });
    wrap(w, "fetch", function (orig) {
      return function (input, init) {
        var u = input instanceof w.Request ? input.url : String(input), self = this, args = arguments;
        var go = function (r) {
          if (r & 1) return orig.apply(self, args);
          record("fetch", url(u), r, "dropped");
          return networkError();
        };
        var r = netDecision(u);
        return r < 0 ? ready.then(function () { return go(netDecision(u)); }) : go(r);
      };
    });
    var XP = w.XMLHttpRequest.prototype, urls = new WeakMap();
    wrap(XP, "open", function (orig) {
      return function (m, u) { urls.set(this, String(u)); return orig.apply(this, arguments); };
    });
    wrap(XP, "send", function (orig) {
      return function () {
        var x = this, args = arguments, u = urls.get(x) || "";
        var go = function (r) {
          if (r & 1) return orig.apply(x, args);
          record("xhr", url(u), r, "dropped");
          setTimeout(function () {
            x.dispatchEvent(new w.ProgressEvent("error"));
            x.dispatchEvent(new w.ProgressEvent("loadend"));
          });
        };
        var r = netDecision(u);
        if (r < 0) ready.then(function () { go(netDecision(u)); }); else go(r);
      };
    });

    // What the parser inserts: scripts are switched to text/plain before they run (the parser
    // runs pending microtasks before it runs a script), iframes and images lose their src.
    new w.MutationObserver(function (recs) {
      var i, j, a;
      // Iframes first: the parser started their navigation when it inserted them, and the sooner
      // it is cancelled (heldForm), the likelier it is that no request leaves.
      for (i = 0; i < recs.length; i++) {
        for (a = recs[i].addedNodes, j = 0; j < a.length; j++) if (a[j].tagName === "IFRAME") prep(a[j], true);
      }
      for (i = 0; i < recs.length; i++) {
        for (a = recs[i].addedNodes, j = 0; j < a.length; j++) { prep(a[j], true); after(a[j]); }
      }
    }).observe(doc, { childList: true, subtree: true });
    // Iframes and images the parser put in the document before this ran (scripts before it ran).
    var l = doc.querySelectorAll("iframe,img");
    for (var i = 0; i < l.length; i++) { examine(l[i], sa, true); after(l[i]); }
  }

  // ---- Settling the holds once the engine runs ---------------------------------------------------
  function flush() {
    for (var j = 0; j < toConfirm.length; j++) {
      var c = toConfirm[j], r = c[0] === 10 ? decideLabel(c[1]) : decide(c[0], c[1]);
      if (!(r & 1)) record("snapshot", c[1], r, "allowed by a stale snapshot");
    }
    toConfirm = [];
    var list = held;
    held = [];
    barrier = false;
    pendingCookies = {};
    for (var i = 0; i < list.length; i++) {
      var it = list[i];
      try { if (it.el) settleEl(it, -1); else it.run(); } catch (e) { /* one bad item must not stop the rest */ }
    }
    pendingStorage.clear();
  }
  // rescan re-decides the parked elements after a consent change (granting releases them).
  function rescan() {
    var list = parked;
    parked = [];
    for (var i = 0; i < list.length; i++) settleEl(list[i], -1);
  }

  // ---- The engine ------------------------------------------------------------------------------
  // Go's wasm_exec.js runs inside this function with its own `globalThis`: the names it defines
  // (Go, fs, process, path) stay here instead of landing on window, where they would mislead page
  // libraries that test for `process`. Everything else is window's.
  function goClass() {
    // wasm_exec.js writes Go's output (a panic) with fs.writeSync. The build strips its Node.js
    // stand-ins for fs, process and path: only the syscall package reads more of them, and the
    // engine does not link it (wasm/deps_test.go).
    var fs = { writeSync: function (fd, b) { console.log(dec.decode(b)); return b.length; } };
    var local = Object.create(null);
    local.fs = fs;
    local.Go = local.process = local.path = null; // a wasm_exec.js the build did not strip defines these
    local.consentryGate = gate;
    var shadow = new Proxy(W, {
      get: function (t, k) { return k in local ? local[k] : Reflect.get(t, k); },
      set: function (t, k, v) { if (k in local) local[k] = v; else t[k] = v; return true; }
    });
    (function (globalThis) {
      /*@WASM_EXEC@*/
    })(shadow);
    return local.Go;
  }

  function fail(why) {
    // What waited only to keep the document's order, and that the gate allows by itself, runs.
    barrier = false;
    held = held.filter(function (it) {
      var r = it.el && it.el.tagName === "SCRIPT" && !label(it.el) ? decide(K_SCRIPT, it.what) : -1;
      if (r < 0 || !(r & 1)) return true;
      release(it);
      return false;
    });
    var message = String(why && why.message || why);
    rejectReady(new Error(message));
    try { W.dispatchEvent(new CustomEvent("consentry:error", { detail: { message: message } })); } catch (e) { /* */ }
  }

  function start() {
    var go, wasmURL = new URL(wasmName, base).href;
    var policy = policyAttr ? nFetch.call(W, new URL(policyAttr, location.href).href).then(function (r) {
      if (!r.ok) throw new Error("consentry: policy " + policyAttr + ": HTTP " + r.status);
      return r.text();
    }) : Promise.resolve("");
    // Go's runtime glue (wasm_exec.js) is set up when the response arrives, not in the page's
    // synchronous run.
    var inst = nFetch.call(W, wasmURL, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("consentry: " + wasmURL + ": HTTP " + r.status);
      go = new (goClass())();
      var whole = function () { return r.arrayBuffer().then(function (b) { return WebAssembly.instantiate(b, go.importObject); }); };
      return WebAssembly.instantiateStreaming ? WebAssembly.instantiateStreaming(r.clone(), go.importObject).catch(whole) : whole();
    });
    Promise.all([inst, policy]).then(function (a) {
      gate.policyText = a[1];
      gate.instance = a[0].instance;
      go.run(a[0].instance).then(function () { if (!ex) fail("consentry: the engine stopped"); });
    }).catch(fail);
  }

  // gate holds what Go uses of the page: natives the hooks must not see, and callbacks.
  gate.gpc = GPC;
  gate.wasm = wasmName;
  gate.cookie = function () { return nativeCookieGet.call(D); };
  gate.setCookie = function (s) { nativeCookieSet.call(D, s); };
  gate.storageKeys = function (session) {
    var st, out = [];
    try { st = real(session ? W.sessionStorage : nativeLS()); } catch (e) { return out; }
    for (var i = 0; st && i < st.length; i++) out.push(st.key(i));
    return out;
  };
  gate.removeStorage = function (session, k) {
    try { nRemove.call(real(session ? W.sessionStorage : nativeLS()), k); } catch (e) { /* */ }
  };
  // consentMode pushes Consent Mode's update (unless loadCM pushed the same one) and keeps it
  // for the next page view of this consent cookie and engine build.
  gate.consentMode = function (params, cookieName, cookieValue) {
    var j = JSON.stringify(params);
    if (j !== cmLast) gtag("consent", "update", params);
    cmLast = j;
    try { nSet.call(nativeLS(), CM_KEY, [wasmName, cookieName, cookieValue, j].join("\t")); } catch (e) { /* */ }
  };
  gate.dataLayer = function (o) { (W.dataLayer = W.dataLayer || []).push(o); };
  // post sends a consent receipt with the native fetch (the page's hooks must not hold it): a
  // simple request (text/plain, no cookies) that needs no CORS preflight and outlives the page.
  // It resolves to whether the endpoint took it.
  gate.post = function (u, body) {
    return nFetch.call(W, new URL(u, location.href).href, { method: "POST", body: body, keepalive: true, credentials: "omit" })
      .then(function (r) { return r.ok; }, function () { return false; });
  };
  // loadOnce releases one held iframe (a placeholder's "Load this once") without a decision.
  gate.loadOnce = function (el) {
    for (var i = 0; i < parked.length; i++) if (parked[i].el === el) return release(parked.splice(i, 1)[0]);
  };
  // ready is called by Go's main once it decides: names is [[service, category], ...].
  gate.ready = function (n, st) {
    var e = gate.instance.exports;
    names = n;
    bufPtr = e.consentryBuf() >>> 0;
    bufLen = 8192;
    ex = e;
    state = st;
    try { performance.mark("consentry:ready"); } catch (x) { /* */ }
    Promise.resolve().then(function () {
      flush();
      resolveReady(api);
      emit("ready", state);
      writeSnap();
    });
  };
  gate.changed = function (st) {
    state = st;
    lastRaw = null;
    Promise.resolve().then(function () { rescan(); emit("change", state); writeSnap(); });
  };
  function writeSnap() {
    if (!ex) return;
    try {
      var n = ex.consentrySnap();
      if (n > 0) nSet.call(nativeLS(), "consentry:snap", dec.decode(new Uint8Array(ex.mem.buffer, bufPtr, n)));
    } catch (e) { /* storage full or disabled: no snapshot */ }
  }

  // ---- The JS API (DESIGN §4) -----------------------------------------------------------------
  function call(name, arg) {
    return ready.then(function () {
      return (W.cookieStore ? W.cookieStore.getAll().catch(function () { return []; }) : Promise.resolve([])).then(function (all) {
        return gate[name](arg, all);
      });
    });
  }
  var api = {
    ready: ready,
    get: function () {
      var s = state || { decided: false, granted: [], revision: "", at: null, source: "none" };
      return { decided: s.decided, granted: s.granted.slice(), revision: s.revision, at: s.at, source: s.source };
    },
    set: function (ids) { return call("apiSet", ids); },
    acceptAll: function () { return call("apiSet", true); },
    rejectAll: function () { return call("apiSet", false); },
    showPreferences: function () { return ready.then(function () { gate.showPreferences(); }); },
    on: function (type, fn) {
      if (!listeners[type] || typeof fn !== "function") throw new TypeError("consentry.on: unknown event " + type);
      listeners[type].push(fn);
      if (type === "ready" && ex) fn(state);
    },
    blocked: function () { return JSON.parse(JSON.stringify(log)); }
  };
  Object.defineProperty(W, "consentry", { value: api, enumerable: false, configurable: false, writable: false });

  hook(W);
  W.addEventListener("pagehide", writeSnap);
  try { start(); } catch (e) { fail(e); }
})();
