/**
 * The status map: countries coloured by the strongest measure in force, EU-level measures
 * hatched over the member states, bodies without a shape (INT, micro-states) listed beside.
 * `layoutStatusMap` is pure given the atlas; `renderStatusMapSvg` writes the SVG text.
 */
import type { Atlas } from './atlas';
import { measureFill, NO_MEASURE_FILL } from './palette';
import { attrs, esc, FONT, INK, MUTED_INK, n } from './svg';
import { fitText, textWidth } from './text';

export interface MapMeasure {
  measure: string;
  label: string;
}

/** The strongest measure in force in one jurisdiction, and who it concerns. */
export interface MapCell {
  code: string;
  name: string;
  measure: string;
  label: string;
  vendors: string[];
}

export interface MapInput {
  idPrefix: string;
  cells: readonly MapCell[];
  /** EU member states on the day shown. */
  euMembers: ReadonlySet<string>;
  /** The measures, strongest first, for the legend. */
  measures: readonly MapMeasure[];
  href(code: string): string;
}

export interface MapCountry {
  code: string;
  d: string;
  fill: string;
  cell: MapCell | null;
  eu: boolean;
}

export interface MapDot {
  code: string;
  x: number;
  y: number;
  fill: string;
  cell: MapCell | null;
  eu: boolean;
}

export interface MapLegendEntry {
  key: string;
  label: string;
  fill: string;
  hatch: boolean;
}

export interface StatusMapView {
  idPrefix: string;
  width: number;
  height: number;
  countries: MapCountry[];
  dots: MapDot[];
  eu: MapCell | null;
  /** Jurisdictions with a measure that the map cannot show as a shape or a dot (INT, ...). */
  unplaced: MapCell[];
  legend: MapLegendEntry[];
  summary: string;
}

export function tooltipOf(cell: MapCell): string {
  const who = cell.vendors.length ? ` (${cell.vendors.join(', ')})` : '';
  return `${cell.name}: ${cell.label}${who}`;
}

export function layoutStatusMap(atlas: Atlas, input: MapInput): StatusMapView {
  const byCode = new Map(input.cells.map((c) => [c.code, c]));
  const eu = byCode.get('EU') ?? null;
  const countries: MapCountry[] = atlas.shapes.map((s) => {
    const cell = byCode.get(s.code) ?? null;
    return { code: s.code, d: s.d, fill: cell ? measureFill(cell.measure) : NO_MEASURE_FILL, cell, eu: input.euMembers.has(s.code) };
  });
  const dots: MapDot[] = [];
  for (const [code, p] of atlas.dots) {
    const cell = byCode.get(code) ?? null;
    const euMember = input.euMembers.has(code);
    // Only dots that say something: a measure, or an EU member under an EU measure.
    if (!cell && !(euMember && eu)) continue;
    dots.push({ code, x: p.x, y: p.y, fill: cell ? measureFill(cell.measure) : NO_MEASURE_FILL, cell, eu: euMember });
  }
  const placed = new Set([...countries.map((c) => c.code), ...dots.map((d) => d.code)]);
  const unplaced = input.cells.filter((c) => c.code !== 'EU' && !placed.has(c.code) && !atlas.dots.has(c.code));
  const legend: MapLegendEntry[] = input.measures.map((m) => ({
    key: m.measure,
    label: m.label,
    fill: measureFill(m.measure),
    hatch: false,
  }));
  legend.push({ key: 'none', label: 'No measure in force', fill: NO_MEASURE_FILL, hatch: false });
  if (eu) legend.push({ key: 'eu', label: `EU-wide: ${eu.label}`, fill: measureFill(eu.measure), hatch: true });
  const count = input.cells.length;
  const summary = count
    ? `World map of the strongest measure in force in each jurisdiction: ${input.cells.map((c) => `${c.name}, ${c.label}`).join('; ')}.`
    : 'World map: no measure is in force anywhere on this day.';
  return { idPrefix: input.idPrefix, width: atlas.width, height: atlas.height, countries, dots, eu, unplaced, legend, summary };
}

export function hatchDefs(idPrefix: string, fill: string): string {
  return `<pattern${attrs({ id: `${idPrefix}-eu`, patternUnits: 'userSpaceOnUse', width: 7, height: 7, patternTransform: 'rotate(45)' })}><rect${attrs({ x: 0, y: 0, width: 3.2, height: 7, fill })}/><rect${attrs({ x: 3.2, y: 0, width: 0.9, height: 7, fill: INK })}/></pattern>`;
}

export interface MapRenderOptions {
  frame?: { title: string; subtitle: string; href: string };
  /** Width attribute of the inline picture; it scales with its viewBox. */
  width?: string;
  hrefFor(code: string): string;
}

const FRAME_TOP = 58;

function shape(c: MapCountry, hrefFor: (code: string) => string): string {
  const path = `<path${attrs({ d: c.d, fill: c.fill, stroke: '#ffffff', 'stroke-width': 0.6, class: c.cell ? 'land measure' : 'land', 'data-code': c.code, 'data-measure': c.cell?.measure })}/>`;
  if (!c.cell) return path;
  return `<a${attrs({ href: hrefFor(c.code), class: 'country', 'data-code': c.code })}><title>${esc(tooltipOf(c.cell))}</title>${path}</a>`;
}

function dot(d: MapDot, hrefFor: (code: string) => string, idPrefix: string): string {
  const circle = `<circle${attrs({ cx: d.x, cy: d.y, r: 4, fill: d.cell ? d.fill : `url(#${idPrefix}-eu)`, stroke: INK, 'stroke-width': 0.8, class: 'land measure', 'data-code': d.code, 'data-measure': d.cell?.measure })}/>`;
  if (!d.cell) return circle;
  return `<a${attrs({ href: hrefFor(d.code), class: 'country', 'data-code': d.code })}><title>${esc(tooltipOf(d.cell))}</title>${circle}</a>`;
}

/** The legend as SVG rows, for the standalone picture. */
function legendRows(view: StatusMapView, x: number, y: number): { svg: string; height: number } {
  const out: string[] = ['<g class="legend">'];
  let cx = x;
  let cy = y;
  for (const e of view.legend) {
    const w = 22 + textWidth(e.label, 11) + 16;
    if (cx > x && cx + w > view.width - 8) {
      cx = x;
      cy += 20;
    }
    out.push(
      `<g class="legend-item" data-key="${esc(e.key)}"><rect${attrs({ class: 'swatch', x: cx, y: cy + 1, width: 16, height: 12, fill: e.hatch ? `url(#${view.idPrefix}-eu)` : e.fill, stroke: INK, 'stroke-width': 0.8 })}/>`,
    );
    out.push(
      `<text${attrs({ x: cx + 22, y: cy + 11, 'font-size': 11, fill: INK, textLength: textWidth(e.label, 11), lengthAdjust: 'spacingAndGlyphs' })}>${esc(e.label)}</text></g>`,
    );
    cx += w;
  }
  out.push('</g>');
  return { svg: out.join(''), height: cy - y + 22 };
}

export function renderStatusMapSvg(view: StatusMapView, options: MapRenderOptions): string {
  const p = view.idPrefix;
  const frame = options.frame;
  const top = frame ? FRAME_TOP : 0;
  const legend = frame ? legendRows(view, 12, top + view.height + 8) : { svg: '', height: 0 };
  const unplacedLines = frame ? view.unplaced.map((c) => fitText(tooltipOf(c), view.width - 24, 11)).filter(Boolean) : [];
  const listHeight = unplacedLines.length * 16;
  const footer = frame ? 26 : 0;
  const height = top + view.height + (frame ? legend.height + 8 + listHeight : 0) + footer;
  const out: string[] = [];
  out.push(
    `<svg${attrs({
      xmlns: 'http://www.w3.org/2000/svg',
      class: 'chart status-map',
      width: options.width ?? view.width,
      height: options.width ? undefined : height,
      viewBox: `0 0 ${n(view.width)} ${n(height)}`,
      role: frame ? undefined : 'group',
      'aria-labelledby': `${p}-title ${p}-desc`,
      'font-family': FONT,
    })}>`,
  );
  out.push(
    `<title id="${esc(p)}-title">${esc(frame ? frame.title : 'Status map')}</title><desc id="${esc(p)}-desc">${esc(view.summary)}</desc>`,
  );
  out.push(`<defs>${hatchDefs(p, view.eu ? measureFill(view.eu.measure) : NO_MEASURE_FILL)}</defs>`);
  out.push(`<rect${attrs({ x: 0, y: 0, width: view.width, height, fill: '#ffffff' })}/>`);
  if (frame) {
    const title = fitText(frame.title, view.width - 24, 17);
    out.push(
      `<a${attrs({ href: frame.href })}><text${attrs({ x: 12, y: 24, 'font-size': 17, 'font-weight': 700, fill: INK, textLength: textWidth(title, 17), lengthAdjust: 'spacingAndGlyphs' })}>${esc(title)}</text></a>`,
    );
    const sub = fitText(frame.subtitle, view.width - 24, 12);
    out.push(
      `<text${attrs({ x: 12, y: 44, 'font-size': 12, fill: MUTED_INK, textLength: textWidth(sub, 12), lengthAdjust: 'spacingAndGlyphs' })}>${esc(sub)}</text>`,
    );
  }
  out.push(`<g class="map"${top ? ` transform="translate(0 ${top})"` : ''}>`);
  out.push(`<rect${attrs({ x: 0, y: 0, width: view.width, height: view.height, fill: '#f4f8fb' })}/>`);
  for (const c of view.countries) out.push(shape(c, options.hrefFor));
  if (view.eu) {
    const euCell = view.eu;
    // Pointer events pass through the hatch, so the national shapes underneath stay clickable.
    out.push(`<g class="eu-overlay" pointer-events="none" data-measure="${esc(euCell.measure)}"><title>${esc(tooltipOf(euCell))}</title>`);
    for (const c of view.countries) {
      if (c.eu) out.push(`<path${attrs({ d: c.d, fill: `url(#${p}-eu)`, stroke: INK, 'stroke-width': 0.5 })}/>`);
    }
    out.push('</g>');
  }
  for (const d of view.dots) out.push(dot(d, options.hrefFor, p));
  out.push('</g>');
  out.push(legend.svg);
  let y = top + view.height + legend.height + 8;
  for (const line of unplacedLines) {
    y += 16;
    out.push(
      `<text${attrs({ x: 12, y: y - 4, 'font-size': 11, fill: INK, textLength: textWidth(line, 11), lengthAdjust: 'spacingAndGlyphs' })}>${esc(line)}</text>`,
    );
  }
  if (frame) {
    const credit = fitText(`Vendor Policy Tracker · ${frame.href}`, view.width - 24, 11);
    out.push(
      `<a${attrs({ href: frame.href })}><text${attrs({ x: 12, y: height - 9, 'font-size': 11, fill: MUTED_INK, textLength: textWidth(credit, 11), lengthAdjust: 'spacingAndGlyphs' })}>${esc(credit)}</text></a>`,
    );
  }
  out.push('</svg>');
  return out.join('');
}
