// Stand-in for HubSpot's analytics script: __hstc, hubspotutk, __hssc and __hssrc cookies, a
// page view sent as an image to track.hubspot.com/__ptq.gif. HubSpot keeps __hstc and hubspotutk
// for 13 months; the stand-in keeps them for the 6 months CyberPilot's cookie policy declares
// (demo/policies/NOTES.md), so that the demo site is true to its policy.
(function () {
  console.debug("standin:ran:hubspot-analytics");
  try { performance.mark("standin:hubspot-analytics"); } catch (e) {}
  var utk = Math.random().toString(16).slice(2) + Math.random().toString(16).slice(2), t = Date.now();
  var sixMonths = "; path=/; max-age=15552000; SameSite=Lax";
  document.cookie = "hubspotutk=" + utk + sixMonths;
  document.cookie = "__hstc=1." + utk + "." + t + "." + t + "." + t + ".1" + sixMonths;
  document.cookie = "__hssc=1.1." + t + "; path=/; max-age=1800; SameSite=Lax";
  document.cookie = "__hssrc=1; path=/; SameSite=Lax";
  var img = document.createElement("img");
  img.setAttribute("src", "https://track.hubspot.com/__ptq.gif?k=1&u=" + utk);
})();
