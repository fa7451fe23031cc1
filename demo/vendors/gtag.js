// Stand-in for Google's gtag.js (Google Analytics 4): _ga and _ga_<container> cookies on the
// site's domain, a page_view hit sent with navigator.sendBeacon to /g/collect.
(function () {
  console.debug("standin:ran:gtag");
  try { performance.mark("standin:gtag"); } catch (e) {}
  var now = Math.floor(Date.now() / 1000);
  var cid = Math.floor(Math.random() * 2147483647) + "." + now;
  var two = "; path=/; max-age=63072000; SameSite=Lax";
  if (!/(^|; )_ga=/.test(document.cookie)) document.cookie = "_ga=GA1.1." + cid + two;
  document.cookie = "_ga_STANDIN=GS1.1." + now + ".1.0." + now + two;
  var q = "v=2&tid=G-STANDIN&cid=" + encodeURIComponent(cid) + "&en=page_view&dl=" + encodeURIComponent(location.href);
  navigator.sendBeacon("https://region1.google-analytics.com/g/collect?" + q);
  window.dataLayer = window.dataLayer || [];
})();
