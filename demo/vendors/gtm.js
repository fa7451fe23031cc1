// Stand-in for Google Tag Manager's gtm.js: a container that loads the tags it holds, here gtag.js,
// by inserting a script before the first script of the page, as the real container does.
(function () {
  console.debug("standin:ran:gtm");
  try { performance.mark("standin:gtm"); } catch (e) {}
  window.dataLayer = window.dataLayer || [];
  window.dataLayer.push({ event: "gtm.js", "gtm.start": Date.now() });
  var s = document.createElement("script"), f = document.getElementsByTagName("script")[0];
  s.async = true;
  s.src = "https://www.googletagmanager.com/gtag/js?id=G-FROMGTM";
  f.parentNode.insertBefore(s, f);
})();
