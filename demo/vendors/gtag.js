// Stand-in for Google's gtag.js. With a Google Analytics id (G-, UA-, or none), as GA4 does: _ga
// and _ga_<container> cookies on the site's domain, a page_view hit sent with navigator.sendBeacon
// to /g/collect. With a Google Ads id (AW-, DC-), as the conversion linker does: the _gcl_au cookie
// (90 days) and a remarketing ping as an image to googleads.g.doubleclick.net. The id is read from
// the script's own URL, as the real gtag.js does.
(function () {
  console.debug("standin:ran:gtag");
  try { performance.mark("standin:gtag"); } catch (e) {}
  var me = document.currentScript, m = me && /[?&]id=([^&]*)/.exec(me.src);
  var id = m ? decodeURIComponent(m[1]) : "";
  window.dataLayer = window.dataLayer || [];
  var now = Math.floor(Date.now() / 1000);
  if (/^(AW|DC)-/.test(id)) {
    if (!/(^|; )_gcl_au=/.test(document.cookie)) {
      document.cookie = "_gcl_au=1.1." + Math.floor(Math.random() * 2147483647) + "." + now + "; path=/; max-age=7776000; SameSite=Lax";
    }
    new Image().src = "https://googleads.g.doubleclick.net/pagead/viewthroughconversion/" + encodeURIComponent(id.slice(3)) +
      "/?random=" + Date.now() + "&url=" + encodeURIComponent(location.href);
    return;
  }
  var cid = Math.floor(Math.random() * 2147483647) + "." + now;
  var two = "; path=/; max-age=63072000; SameSite=Lax";
  if (!/(^|; )_ga=/.test(document.cookie)) document.cookie = "_ga=GA1.1." + cid + two;
  document.cookie = "_ga_STANDIN=GS1.1." + now + ".1.0." + now + two;
  var q = "v=2&tid=" + encodeURIComponent(id || "G-STANDIN") + "&cid=" + encodeURIComponent(cid) + "&en=page_view&dl=" + encodeURIComponent(location.href);
  navigator.sendBeacon("https://region1.google-analytics.com/g/collect?" + q);
})();
