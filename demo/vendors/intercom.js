// Stand-in for Intercom's messenger (widget.intercom.io/widget/<app>): like the real one it
// creates a same-origin about:blank iframe (#intercom-frame) and runs in it; from there it sets the
// intercom-id-<app> and intercom-session-<app> cookies, the intercom.intercom-state-<app> key in
// localStorage, and pings api-iam.intercom.io with XMLHttpRequest.
(function () {
  console.debug("standin:ran:intercom");
  try { performance.mark("standin:intercom"); } catch (e) {}
  var f = document.createElement("iframe");
  f.id = "intercom-frame";
  f.setAttribute("aria-hidden", "true");
  f.style.display = "none";
  document.body.appendChild(f);
  var w = f.contentWindow, year = "; path=/; max-age=23328000; SameSite=Lax";
  w.document.cookie = "intercom-id-standin=" + Math.random().toString(36).slice(2) + year;
  w.document.cookie = "intercom-session-standin=; path=/; max-age=604800; SameSite=Lax";
  w.localStorage.setItem("intercom.intercom-state-standin", JSON.stringify({ app: "standin", at: Date.now() }));
  var x = new w.XMLHttpRequest();
  x.open("POST", "https://api-iam.intercom.io/messenger/web/ping");
  x.send("app_id=standin");
})();
