// Stand-in for Segment's analytics.js: ajs_anonymous_id in localStorage (by property assignment)
// and as a cookie, ajs_user_traits (by bracket assignment), a page call POSTed with fetch to
// api.segment.io/v1/p.
(function () {
  console.debug("standin:ran:segment");
  try { performance.mark("standin:segment"); } catch (e) {}
  var id = "\"" + Math.random().toString(16).slice(2) + "\"";
  localStorage.ajs_anonymous_id = id;
  localStorage["ajs_user_traits"] = "{}";
  document.cookie = "ajs_anonymous_id=" + encodeURIComponent(id) + "; path=/; max-age=31536000; SameSite=Lax";
  fetch("https://api.segment.io/v1/p", { method: "POST", body: JSON.stringify({ anonymousId: id, type: "page" }) }).catch(function () {});
})();
