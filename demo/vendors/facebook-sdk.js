// Stand-in for Meta's JavaScript SDK (connect.facebook.net/<locale>/sdk.js) as sites use it for
// social plugins: like the real SDK it renders each .fb-like and .fb-share-button element as an
// iframe from www.facebook.com/plugins/, and then calls window.fbAsyncInit.
(function () {
  console.debug("standin:ran:facebook-sdk");
  try { performance.mark("standin:facebook-sdk"); } catch (e) {}
  var els = document.querySelectorAll(".fb-like, .fb-share-button");
  for (var i = 0; i < els.length; i++) {
    var el = els[i], like = el.classList.contains("fb-like"), f = document.createElement("iframe");
    f.src = "https://www.facebook.com/plugins/" + (like ? "like" : "share_button") + ".php?href=" +
      encodeURIComponent(el.getAttribute("data-href") || location.href) + "&layout=button_count";
    f.title = like ? "Like on Facebook" : "Share on Facebook";
    f.width = "110";
    f.height = "28";
    f.style.border = "0";
    el.appendChild(f);
  }
  if (typeof window.fbAsyncInit === "function") window.fbAsyncInit();
})();
