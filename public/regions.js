// A region that scrolls (a wide table in .overflow-auto, a chart, a long code block) must be
// reachable by keyboard, or its hidden part cannot be scrolled into view without a mouse.
// Pages mark their own regions with tabindex="0" and a label; this covers any that do not,
// once the page's width shows whether it overflows at all (a region that fits needs no stop).
(function () {
  'use strict';
  var SELECTOR = '.overflow-auto, pre, figure, [data-scroll-region]';

  function nearestHeading(el) {
    for (var n = el; n && n !== document.body; n = n.parentElement) {
      for (var p = n.previousElementSibling; p; p = p.previousElementSibling) {
        if (/^H[1-6]$/.test(p.tagName)) return p.textContent.trim();
        var inner = p.querySelectorAll('h1, h2, h3, h4, h5, h6');
        if (inner.length) return inner[inner.length - 1].textContent.trim();
      }
    }
    return '';
  }

  function labelOf(el) {
    var caption = el.querySelector('caption, figcaption');
    var text = (caption && caption.textContent.trim()) || nearestHeading(el);
    return text ? text + ' (scrolls)' : 'Scrollable content';
  }

  function mark() {
    document.querySelectorAll(SELECTOR).forEach(function (el) {
      if (el.hasAttribute('tabindex')) return;
      if (el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1) return;
      el.setAttribute('tabindex', '0');
      if (!el.hasAttribute('role')) el.setAttribute('role', 'region');
      if (!el.hasAttribute('aria-label') && !el.hasAttribute('aria-labelledby')) el.setAttribute('aria-label', labelOf(el));
    });
  }

  // On a phone a table's rows stack (public/app.css, table.stack), each cell introduced by
  // its column's name. Pages may label their cells (data-label); a table that does not gets
  // the labels from its header row here. A matrix read across (.status-matrix) or a table
  // marked data-keep-columns keeps its columns and scrolls instead.
  function stackTables() {
    document.querySelectorAll('main table').forEach(function (table) {
      if (table.classList.contains('stack') || table.classList.contains('status-matrix') || table.hasAttribute('data-keep-columns')) return;
      var head = table.tHead && table.tHead.rows[0];
      if (!head) return;
      var names = Array.prototype.map.call(head.cells, function (c) { return c.textContent.trim(); });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          Array.prototype.forEach.call(row.cells, function (cell, i) {
            if (cell.tagName !== 'TD' || cell.hasAttribute('data-label')) return;
            // The first cell names the row (a vendor, an actor): a title, not a labelled value.
            if (i === 0) cell.classList.add('row-title');
            else if (names[i]) cell.setAttribute('data-label', names[i]);
          });
        });
      });
      table.classList.add('stack');
    });
  }

  var pending = null;
  stackTables();
  mark();
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(mark, 200);
  });
})();
