/* A failed form's error summary (GOV.UK pattern): it takes the focus when the page loads, so a
   screen reader reads it first, and each of its links puts the focus in the field it names, with
   the field's label in view. */
(function () {
  "use strict";
  var summaries = document.querySelectorAll("[data-error-summary]");
  if (!summaries.length || summaries[0].dataset.ready) {
    return;  // no summary, or another copy of this script got there first
  }
  summaries.forEach(function (summary) {
    summary.dataset.ready = "true";
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!target) {
        return;
      }
      var input = target.matches("input, select, textarea")
        ? target
        : target.querySelector("input, select, textarea");
      if (!input) {
        return;
      }
      event.preventDefault();
      (input.closest(".field") || input).scrollIntoView();
      input.focus({ preventScroll: true });
    });
  });
  summaries[0].focus();
  // A page reached at a fragment (#main, left by the skip link) moves the focus to it as it
  // finishes loading: take it back, unless the person has moved on already.
  window.addEventListener("load", function () {
    var active = document.activeElement;
    if (!active || active === document.body || (location.hash && active.id === location.hash.slice(1))) {
      summaries[0].focus();
    }
  });
})();
