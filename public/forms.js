// After a refused submit, start from the error summary: focus it, and make each of its
// links focus the field it names (a plain fragment link only scrolls). Without JavaScript
// the summary is still the first thing under the heading, and its links still scroll.
(function () {
  'use strict';
  var summary = document.querySelector('[data-error-summary]');
  if (!summary) return;
  summary.focus();
  summary.addEventListener('click', function (e) {
    var link = e.target.closest('a[href^="#"]');
    if (!link) return;
    var field = document.getElementById(link.getAttribute('href').slice(1));
    if (!field) return;
    e.preventDefault();
    // Open a collapsed <details> around the field, or it cannot take the focus.
    for (var d = field.closest('details'); d; d = d.parentElement && d.parentElement.closest('details')) d.open = true;
    var context = field.closest('fieldset.choices') || field.closest('label') || field;
    context.scrollIntoView({ block: 'start' });
    field.focus({ preventScroll: true });
  });
})();
