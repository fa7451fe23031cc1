// Stand-in for Microsoft Advertising's UET tag (bat.bing.com/bat.js): the UET constructor that the
// site's snippet calls once the script loads, the _uetsid and _uetvid cookies with their copies and
// expiry dates in localStorage, and a page load sent as an image to bat.bing.com/action/0.
// Microsoft keeps _uetsid for a day and _uetvid for 13 months; the stand-in keeps them for the 30
// minutes and 16 days the catalogue (Open Cookie Database) declares.
(function () {
  console.debug("standin:ran:bat");
  try { performance.mark("standin:bat"); } catch (e) {}
  function id() { return Math.random().toString(16).slice(2, 10) + Math.random().toString(16).slice(2, 10); }
  var sid = id(), vid = id(), now = Date.now();
  document.cookie = "_uetsid=" + sid + "; path=/; max-age=1800; SameSite=Lax";
  document.cookie = "_uetvid=" + vid + "; path=/; max-age=1382400; SameSite=Lax";
  try {
    localStorage.setItem("_uetsid", sid);
    localStorage.setItem("_uetsid_exp", String(now + 1800000));
    localStorage.setItem("_uetvid", vid);
    localStorage.setItem("_uetvid_exp", String(now + 1382400000));
  } catch (e) { /* storage disabled */ }
  window.UET = function (o) {
    this.ti = o && o.ti;
    this.push = function () {};
  };
  new Image().src = "https://bat.bing.com/action/0?ti=STANDIN&evt=pageLoad&sid=" + sid + "&vid=" + vid +
    "&p=" + encodeURIComponent(location.href);
})();
