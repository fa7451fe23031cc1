// The demo page's own script (first party): progressive enhancement of the newsletter form.
(function () {
  var form = document.querySelector(".newsletter form");
  if (!form) return;
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    form.insertAdjacentHTML("beforeend", "<p>Thanks, check your inbox.</p>");
  });
  document.documentElement.classList.add("js");
})();
