// Stand-in for HubSpot's loader (js.hs-scripts.com/<portal>.js): it appends the analytics script
// from js.hs-analytics.net, as the real loader does.
(function () {
  console.debug("standin:ran:hubspot");
  try { performance.mark("standin:hubspot"); } catch (e) {}
  var s = document.createElement("script");
  s.src = "https://js.hs-analytics.net/analytics/" + Math.floor(Date.now() / 300000) + "/STANDIN.js";
  document.head.appendChild(s);
})();
