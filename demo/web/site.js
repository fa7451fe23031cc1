// The demo sites' own script (first party, strictly necessary).
//
// "Cookie settings" links and buttons open Consentry's preferences dialog. Tab lists with a
// data-tabs attribute switch their panels and remember the last tab viewed in localStorage under
// that attribute's value: Huma's cookie policy says it keeps "which tabs you were last viewing"
// in local storage, without naming the key, so its policy reports undeclared storage rather than
// block it, and the audit lists the key as a warning.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest("[data-cookie-settings]");
    if (!el || !window.consentry) return;
    e.preventDefault();
    window.consentry.showPreferences();
  });

  var lists = document.querySelectorAll("[data-tabs]");
  for (var i = 0; i < lists.length; i++) tabs(lists[i]);

  function tabs(list) {
    var key = list.getAttribute("data-tabs"), all = list.querySelectorAll("[role=tab]");
    function select(tab, remember) {
      for (var j = 0; j < all.length; j++) {
        var on = all[j] === tab;
        all[j].setAttribute("aria-selected", String(on));
        document.getElementById(all[j].getAttribute("aria-controls")).hidden = !on;
      }
      if (remember) {
        try { localStorage.setItem(key, tab.id); } catch (e) { /* storage disabled */ }
      }
    }
    list.addEventListener("click", function (e) {
      var tab = e.target.closest("[role=tab]");
      if (tab) select(tab, true);
    });
    var last = null;
    try { last = document.getElementById(localStorage.getItem(key) || ""); } catch (e) { /* storage disabled */ }
    if (last && last.getAttribute("role") === "tab" && list.contains(last)) select(last, false);
  }
})();
