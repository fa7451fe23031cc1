// Stand-in for Leadfeeder's tracker (sc.lfeeder.com/lftracker_v1_<id>.js): the _lfa cookie, a
// page view sent as an image to tr.lfeeder.com. Leadfeeder keeps _lfa for 2 years; the stand-in
// keeps it for the 1 year CyberPilot's cookie policy declares.
(function () {
  console.debug("standin:ran:leadfeeder");
  try { performance.mark("standin:leadfeeder"); } catch (e) {}
  var id = "LF1.1." + Math.random().toString(16).slice(2) + "." + Date.now();
  document.cookie = "_lfa=" + id + "; path=/; max-age=31536000; SameSite=Lax";
  var i = new Image();
  i.src = "https://tr.lfeeder.com/?sid=STANDIN&data=" + encodeURIComponent(id);
})();
