/**
 * Writes a timeline view model as SVG text. Styling is done with presentation attributes
 * only (the CSP forbids style attributes, and an SVG shown through <img> loads no CSS),
 * so the picture looks the same inline, opened on its own, or embedded in an article.
 */
import { attrs, esc, FONT, INK, MUTED_INK, n } from './svg';
import { fitText, textWidth } from './text';
import { LAYOUT, type LegendEntry, RELATION_DASH, type TimelineView } from './timeline';

export interface Frame {
  /** Headline of a standalone picture, linked to `href`. */
  title: string;
  /** A line under it: what is shown and when it was drawn. */
  subtitle: string;
  /** The page the picture comes from (absolute, for embeds). */
  href: string;
}

export interface RenderOptions {
  /** Draw a title, date and link back above the chart and the legend below it (for embeds). */
  frame?: Frame;
  /** Draw the legend inside the SVG (always on with a frame). */
  legendInside?: boolean;
}

const LANE_SHADE = '#f3f5f8';
const GRID = '#dde2e8';
const GRID_MAJOR = '#b9c2cc';
const ARROW = '#3d444d';
const HEADER = 58;
const LEGEND_ROW = 22;

function label(x: number, y: number, text: string, width: number, size: number, extra: Record<string, string | number> = {}): string {
  // textLength fixes the drawn width to the one the layout reserved, so labels never run into each other.
  return `<text${attrs({ x, y, 'font-size': size, textLength: width, lengthAdjust: 'spacingAndGlyphs', ...extra })}>${esc(text)}</text>`;
}

function axis(view: TimelineView): string {
  const a = view.axis;
  const out: string[] = ['<g class="axis">'];
  const lineTop = a.top;
  for (const t of view.axis.ticks) {
    out.push(
      `<line${attrs({ x1: t.x, x2: t.x, y1: lineTop - 6, y2: a.bottom, stroke: t.major ? GRID_MAJOR : GRID, 'stroke-width': 1 })}/>`,
    );
  }
  const bottomLine = a.height - 8;
  for (const t of view.axis.ticks) {
    const w = textWidth(t.label, LAYOUT.axisFont);
    if (t.span < w + 6) continue;
    out.push(label(t.labelX - w / 2, bottomLine, t.label, w, LAYOUT.axisFont, { fill: MUTED_INK, class: 'chart-label axis-label' }));
  }
  for (const t of view.axis.yearTicks) {
    const w = textWidth(t.label, LAYOUT.axisFont);
    if (t.span < w + 6) continue;
    out.push(label(t.labelX - w / 2, 13, t.label, w, LAYOUT.axisFont, { fill: INK, 'font-weight': 600, class: 'chart-label axis-label' }));
  }
  out.push('</g>');
  return out.join('');
}

function lanes(view: TimelineView): string {
  const out: string[] = ['<g class="lanes">'];
  for (const g of view.groups) {
    out.push(
      `<line${attrs({ x1: 0, x2: view.width, y1: g.y + LAYOUT.groupHeight - 2, y2: g.y + LAYOUT.groupHeight - 2, stroke: INK, 'stroke-width': 1 })}/>`,
    );
    out.push(label(6, g.y + 19, g.label, g.labelWidth, 14, { fill: INK, 'font-weight': 700, class: 'chart-label group-label' }));
  }
  for (const lane of view.lanes) {
    out.push(`<rect${attrs({ x: 0, y: lane.y, width: view.width, height: lane.height, fill: lane.shaded ? LANE_SHADE : '#ffffff' })}/>`);
    out.push(`<g class="lane" data-jurisdiction="${esc(lane.code)}"><title>${esc(lane.name)}</title>`);
    out.push(
      label(8, lane.y + LAYOUT.lanePad + 14, lane.label, lane.labelWidth, LAYOUT.laneFont, {
        fill: INK,
        'font-weight': 600,
        class: 'chart-label lane-label',
      }),
    );
    out.push('</g>');
  }
  out.push('</g>');
  return out.join('');
}

function arrows(view: TimelineView): string {
  const out: string[] = ['<g class="arrows" fill="none">'];
  for (const a of view.arrows) {
    out.push(
      `<path${attrs({ class: 'arrow', d: a.d, stroke: ARROW, 'stroke-width': 1.4, 'stroke-dasharray': a.relation in RELATION_DASH ? RELATION_DASH[a.relation] || undefined : '3 3', 'marker-end': `url(#${view.idPrefix}-head)`, 'data-relation': a.relation, 'data-from': a.fromId, 'data-to': a.toId })}><title>${esc(a.tooltip)}</title></path>`,
    );
  }
  out.push('</g>');
  return out.join('');
}

function marks(view: TimelineView): string {
  const out: string[] = ['<g class="marks">'];
  const r = LAYOUT.markRadius;
  const h = LAYOUT.spanHeight;
  for (const m of view.marks) {
    out.push(
      `<a${attrs({ href: m.href, class: 'mark', 'data-event': m.eventId, 'data-type': m.type, 'data-group': m.groupKey || undefined })}><title>${esc(m.tooltip)}</title>`,
    );
    if (m.effective) {
      out.push(
        `<rect${attrs({ x: m.effective.x1, y: m.y - 2, width: m.effective.x2 - m.effective.x1, height: 4, fill: m.fill, 'fill-opacity': 0.6, class: 'effective' })}/>`,
      );
      out.push(`<rect${attrs({ x: m.effective.x2 - 1, y: m.y - 7, width: 2, height: 14, fill: INK })}/>`);
    }
    if (m.shape === 'point') {
      out.push(`<circle${attrs({ class: 'mark-shape', cx: m.x, cy: m.y, r, fill: m.fill, stroke: INK, 'stroke-width': 1 })}/>`);
    } else {
      out.push(
        `<rect${attrs({ class: 'mark-shape', x: m.x, y: m.y - h / 2, width: m.width, height: h, rx: 3, fill: m.fill, stroke: INK, 'stroke-width': 1 })}/>`,
      );
    }
    if (m.label)
      out.push(
        label(Math.max(m.label.x, view.axis.left), m.label.y, m.label.text, m.label.width, LAYOUT.labelFont, {
          fill: INK,
          class: 'chart-label mark-label',
        }),
      );
    out.push('</a>');
  }
  for (const c of view.clusters) {
    const open = c.href
      ? `<a${attrs({ href: c.href, class: 'cluster', 'data-count': c.count })}>`
      : `<g${attrs({ class: 'cluster', 'data-count': c.count })}>`;
    out.push(`${open}<title>${esc(c.tooltip)}</title>`);
    out.push(
      `<rect${attrs({ class: 'mark-shape', x: c.x, y: c.y, width: c.width, height: c.height, rx: 8, fill: '#ffffff', stroke: INK, 'stroke-width': 1, 'stroke-dasharray': '3 2' })}/>`,
    );
    out.push(
      label(c.x + (c.width - c.textWidth) / 2, c.y + 12, c.text, c.textWidth, 10, {
        fill: INK,
        'font-weight': 600,
        class: 'chart-label cluster-label',
      }),
    );
    out.push(c.href ? '</a>' : '</g>');
  }
  out.push('</g>');
  return out.join('');
}

/** Legend entries laid out in rows across `width`; returns the markup and its height. */
export function legendSvg(
  entries: readonly LegendEntry[],
  width: number,
  x0: number,
  y0: number,
  idPrefix: string,
): { svg: string; height: number } {
  const out: string[] = ['<g class="legend">'];
  let x = x0;
  let y = y0;
  for (const e of entries) {
    const text = fitText(e.label, width - 40, 11) || e.label.slice(0, 3);
    const w = 26 + textWidth(text, 11) + 16;
    if (x > x0 && x + w > x0 + width) {
      x = x0;
      y += LEGEND_ROW;
    }
    out.push(`<g class="legend-item" data-key="${esc(e.key)}">${legendSwatch(e, x, y, idPrefix)}`);
    out.push(label(x + 24, y + 12, text, textWidth(text, 11), 11, { fill: INK, class: 'chart-label legend-label' }));
    out.push('</g>');
    x += w;
  }
  out.push('</g>');
  return { svg: out.join(''), height: entries.length ? y - y0 + LEGEND_ROW : 0 };
}

/** A legend swatch in a 20 x 16 box at (x, y). Also used for the HTML legend. */
export function legendSwatch(e: LegendEntry, x: number, y: number, idPrefix: string): string {
  switch (e.kind) {
    case 'type':
      return `<rect${attrs({ class: 'swatch', x: x + 2, y: y + 2, width: 16, height: 12, rx: 3, fill: e.fill, stroke: INK, 'stroke-width': 1 })}/>`;
    case 'point':
      return `<circle${attrs({ cx: x + 10, cy: y + 8, r: 6, fill: '#ffffff', stroke: INK, 'stroke-width': 1 })}/>`;
    case 'span':
      return `<rect${attrs({ x: x, y: y + 2, width: 20, height: 12, rx: 3, fill: '#ffffff', stroke: INK, 'stroke-width': 1 })}/>`;
    case 'effective':
      return `<rect${attrs({ x: x, y: y + 6, width: 18, height: 4, fill: MUTED_INK, 'fill-opacity': 0.6 })}/><rect${attrs({ x: x + 17, y: y + 1, width: 2, height: 14, fill: INK })}/>`;
    case 'relation':
      return `<path${attrs({ d: `M${x} ${y + 12} Q${x + 9} ${y} ${x + 17} ${y + 8}`, fill: 'none', stroke: ARROW, 'stroke-width': 1.4, 'stroke-dasharray': e.dash || undefined, 'marker-end': `url(#${idPrefix}-head)` })}/>`;
    case 'cluster':
      return `<rect${attrs({ x: x, y: y + 1, width: 20, height: 14, rx: 7, fill: '#ffffff', stroke: INK, 'stroke-width': 1, 'stroke-dasharray': '3 2' })}/>`;
  }
}

/** The arrowhead marker, one per SVG document (ids are prefixed so several charts can share a page). */
export function arrowDefs(idPrefix: string): string {
  return `<defs><marker${attrs({ id: `${idPrefix}-head`, viewBox: '0 0 10 10', refX: 8, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' })}><path d="M0 0L10 5L0 10z" fill="${ARROW}"/></marker></defs>`;
}

export function renderTimelineSvg(view: TimelineView, options: RenderOptions = {}): string {
  const frame = options.frame;
  const legendInside = options.legendInside || !!frame;
  const top = frame ? HEADER : 0;
  const legend = legendInside
    ? legendSvg(view.legend, Math.min(view.width - 24, 900), 12, top + view.height + 12, view.idPrefix)
    : { svg: '', height: 0 };
  const footer = frame ? 26 : 0;
  const height = top + view.height + (legendInside ? legend.height + 16 : 0) + footer;
  const p = view.idPrefix;
  const titleText = frame ? frame.title : 'Timeline of events';
  const out: string[] = [];
  out.push(
    `<svg${attrs({ xmlns: 'http://www.w3.org/2000/svg', class: 'chart timeline-chart', width: view.width, height, viewBox: `0 0 ${n(view.width)} ${n(height)}`, role: frame ? undefined : 'group', 'aria-labelledby': `${p}-title ${p}-desc`, 'font-family': FONT, 'data-events': view.eventCount })}>`,
  );
  out.push(`<title id="${esc(p)}-title">${esc(titleText)}</title><desc id="${esc(p)}-desc">${esc(view.summary)}</desc>`);
  out.push(arrowDefs(p));
  out.push(`<rect${attrs({ x: 0, y: 0, width: view.width, height, fill: '#ffffff' })}/>`);
  if (frame) {
    const tw = textWidth(fitText(frame.title, view.width - 24, 17), 17);
    out.push(
      `<a${attrs({ href: frame.href, class: 'frame-link' })}>${label(12, 24, fitText(frame.title, view.width - 24, 17), tw, 17, { fill: INK, 'font-weight': 700 })}</a>`,
    );
    const sub = fitText(frame.subtitle, view.width - 24, 12);
    out.push(label(12, 44, sub, textWidth(sub, 12), 12, { fill: MUTED_INK }));
  }
  out.push(`<g class="plot"${frame ? ` transform="translate(0 ${top})"` : ''}>`);
  out.push(lanes(view), axis(view), arrows(view), marks(view));
  out.push('</g>');
  out.push(legend.svg);
  if (frame) {
    const credit = fitText(`Vendor Policy Tracker · ${frame.href}`, view.width - 24, 11);
    out.push(`<a${attrs({ href: frame.href })}>${label(12, height - 9, credit, textWidth(credit, 11), 11, { fill: MUTED_INK })}</a>`);
  }
  out.push('</svg>');
  return out.join('');
}
