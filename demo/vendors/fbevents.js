// Stand-in for the Meta (Facebook) pixel's fbevents.js: the _fbp cookie, a PageView sent as an
// image pixel to www.facebook.com/tr.
(function () {
  console.debug("standin:ran:fbevents");
  try { performance.mark("standin:fbevents"); } catch (e) {}
  if (!/(^|; )_fbp=/.test(document.cookie)) {
    document.cookie = "_fbp=fb.1." + Date.now() + "." + Math.floor(Math.random() * 1e9) + "; path=/; max-age=7776000; SameSite=Lax";
  }
  new Image().src = "https://www.facebook.com/tr/?id=STANDIN&ev=PageView&dl=" + encodeURIComponent(location.href);
})();
