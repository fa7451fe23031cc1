// Stand-in for X's widgets.js (platform.twitter.com/widgets.js): like the real script it turns each
// a.twitter-share-button into an iframe from platform.twitter.com/widgets/, and logs the embeds to
// syndication.twitter.com with an image.
(function () {
  console.debug("standin:ran:twitter-widgets");
  try { performance.mark("standin:twitter-widgets"); } catch (e) {}
  var links = document.querySelectorAll("a.twitter-share-button");
  for (var i = 0; i < links.length; i++) {
    var a = links[i], f = document.createElement("iframe");
    f.src = "https://platform.twitter.com/widgets/tweet_button.html?url=" + encodeURIComponent(a.getAttribute("data-url") || location.href) +
      "&text=" + encodeURIComponent(a.getAttribute("data-text") || document.title);
    f.title = "Post on X";
    f.width = "80";
    f.height = "28";
    f.style.border = "0";
    a.parentNode.replaceChild(f, a);
  }
  new Image().src = "https://syndication.twitter.com/i/jot?l=" + encodeURIComponent(JSON.stringify({ widgets: links.length, url: location.href }));
})();
