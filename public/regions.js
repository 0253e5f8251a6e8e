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

  var pending = null;
  mark();
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(mark, 200);
  });
})();
