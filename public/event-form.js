// Progressive enhancement for the event form: "Add another ..." copies the last
// (blank) row. Without JavaScript the form still offers one blank row of each.
(function () {
  'use strict';
  document.querySelectorAll('[data-add-row]').forEach(function (button) {
    var container = document.querySelector('[data-repeat="' + button.getAttribute('data-add-row') + '"]');
    if (!container) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var rows = container.querySelectorAll('[data-row]');
      var last = rows[rows.length - 1];
      var copy = last.cloneNode(true);
      var n = rows.length + 1;
      copy.querySelectorAll('input, textarea, select').forEach(function (field) {
        if (field.tagName === 'SELECT') field.selectedIndex = field.name === 'link_relation' ? field.selectedIndex : 0;
        else field.value = '';
        field.removeAttribute('aria-invalid');
        if (field.id) field.id = field.id + '-' + n;
        // The hint keeps pointing at its own copy; a copied error message is dropped below.
        var described = field.getAttribute('aria-describedby');
        var hint = described && copy.querySelector('[id="' + described + '"]');
        if (hint && !hint.classList.contains('field-error')) {
          hint.id = described + '-' + n;
          field.setAttribute('aria-describedby', hint.id);
        } else {
          field.removeAttribute('aria-describedby');
        }
      });
      copy.querySelectorAll('label').forEach(function (label) {
        var f = label.querySelector('input, textarea, select');
        if (f) label.setAttribute('for', f.id);
      });
      copy.querySelectorAll('.field-error').forEach(function (e) { e.remove(); });
      var legend = copy.querySelector('legend');
      if (legend) legend.textContent = legend.textContent.replace(/\d+$/, String(n));
      container.appendChild(copy);
      var first = copy.querySelector('select, input');
      if (first) first.focus();
    });
  });
})();
