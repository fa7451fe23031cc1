// Stand-in for Microsoft Clarity's tag: _clck (via the Cookie Store API where there is one) and
// _clsk cookies, a collection POST with fetch to k.clarity.ms/collect. Clarity keeps _clsk for a
// day; the stand-in makes it a session cookie, as the catalogue (Open Cookie Database) declares it.
(function () {
  console.debug("standin:ran:clarity");
  try { performance.mark("standin:clarity"); } catch (e) {}
  var id = Math.random().toString(36).slice(2);
  if (window.cookieStore) {
    cookieStore.set({ name: "_clck", value: id + "|2|f|0", path: "/", expires: Date.now() + 31536000000 }).catch(function () {});
  } else {
    document.cookie = "_clck=" + id + "|2|f|0; path=/; max-age=31536000";
  }
  document.cookie = "_clsk=" + id + "|" + Date.now() + "|1|1|k.clarity.ms/collect; path=/";
  fetch("https://k.clarity.ms/collect", { method: "POST", body: "e=1", mode: "no-cors", keepalive: true }).catch(function () {});
})();
