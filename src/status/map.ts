/**
 * A thin adapter from the status board (src/status/board.ts, which decides what is in
 * force) to the map and the jurisdiction x year matrix: per jurisdiction, the strongest
 * measure across the vendors shown.
 */
import { worldAtlas } from '../charts/atlas';
import { measureFill } from '../charts/palette';
import { attrs, esc } from '../charts/svg';
import { layoutStatusMap, type MapCell, renderStatusMapSvg, type StatusMapView } from '../charts/worldMap';
import type { Db } from '../db/knex';
import { jurisdictionName } from '../lib/jurisdiction';
import { MEASURES } from '../events/taxonomy';
import { type StatusCell, statusBoard } from './board';
import { euMembersOn } from './eu';
import { type JurisdictionTop, strongestInForce } from './inForce';
import { whileUnchanged } from './memo';
import { firstMeasureYear } from './repo';

const RANK = new Map<string, number>(MEASURES.map((m, i) => [m.measure as string, i]));

/** The status board (src/status/board.ts) for a day, remembered until the data changes. */
export async function boardOn(db: Db, asOf: string, vendorId?: number): Promise<StatusCell[]> {
  // Every vendor's board reads every measure; the map, the matrix, the start page and the
  // jurisdiction pages ask for the same days, so each is computed once per data version.
  return whileUnchanged(db, `board|${asOf}|${vendorId ?? ''}`, () => statusBoard(db, asOf, vendorId));
}

export interface JurisdictionStatus extends MapCell {
  fill: string;
  since: string;
  eventId: string;
  /** Each vendor's measure in this jurisdiction, strongest first (the first ones, when many). */
  entries: StatusCell[];
  /** Whether more vendors have a measure in force here than `entries` lists. */
  moreEntries: boolean;
}

/** Vendor names a map cell or a list line names before "and N more". */
const NAMED_VENDORS = 10;

/** The names shown for a measure held by the vendors `names` (the first ones, when `more`). */
function namesShown(names: readonly string[], more: boolean): string[] {
  const shown = names.slice(0, NAMED_VENDORS);
  return more || names.length > shown.length ? [...shown, 'and others'] : shown;
}

/** Per jurisdiction, the strongest of the vendors' measures (earliest in force on a tie). */
export function strongestByJurisdiction(cells: readonly StatusCell[]): JurisdictionStatus[] {
  const by = new Map<string, StatusCell[]>();
  for (const c of cells) by.set(c.jurisdiction, [...(by.get(c.jurisdiction) ?? []), c]);
  const out: JurisdictionStatus[] = [];
  for (const [code, list] of by) {
    const sorted = [...list].sort(
      (a, b) => (RANK.get(a.measure) ?? 99) - (RANK.get(b.measure) ?? 99) || a.inForceSince.localeCompare(b.inForceSince),
    );
    const top = sorted[0];
    out.push({
      code,
      name: jurisdictionName(code),
      measure: top.measure,
      label: top.label,
      vendors: (() => {
        const names = [...new Set(sorted.filter((c) => c.measure === top.measure).map((c) => c.vendorName))];
        return namesShown(names, false);
      })(),
      fill: measureFill(top.measure),
      since: top.inForceSince,
      eventId: top.eventId,
      entries: sorted,
      moreEntries: false,
    });
  }
  return out.sort((a, b) => (RANK.get(a.measure) ?? 99) - (RANK.get(b.measure) ?? 99) || a.name.localeCompare(b.name));
}

/** The strongest measure per jurisdiction from the maintained table, every vendor: see jurisdictions/inForce.ts. */
function fromTable(tops: readonly JurisdictionTop[]): JurisdictionStatus[] {
  const out: JurisdictionStatus[] = [];
  for (const t of tops) {
    const top = t.cells[0];
    if (!top) continue;
    out.push({
      code: t.code,
      name: jurisdictionName(t.code),
      measure: top.measure,
      label: top.label,
      vendors: namesShown([...new Set(t.cells.map((c) => c.vendorName))], t.more),
      fill: measureFill(top.measure),
      since: top.inForceSince,
      eventId: top.eventId,
      entries: t.cells,
      moreEntries: t.more,
    });
  }
  return out.sort((a, b) => (RANK.get(a.measure) ?? 99) - (RANK.get(b.measure) ?? 99) || a.name.localeCompare(b.name));
}

/**
 * Per jurisdiction, the strongest measure in force on `asOf`: one vendor's from its board,
 * every vendor's from the maintained table (remembered until the data changes).
 */
export async function jurisdictionsOn(db: Db, asOf: string, vendorId?: number): Promise<JurisdictionStatus[]> {
  if (vendorId !== undefined) return strongestByJurisdiction(await boardOn(db, asOf, vendorId));
  return whileUnchanged(db, `in-force|${asOf}`, async () => fromTable(await strongestInForce(db, asOf, NAMED_VENDORS)));
}

export interface StatusMap {
  view: StatusMapView;
  svg: string;
  jurisdictions: JurisdictionStatus[];
}

export function statusMapOf(
  jurisdictions: JurisdictionStatus[],
  asOf: string,
  options: { idPrefix?: string; base?: string; frame?: { title: string; subtitle: string; href: string } } = {},
): StatusMap {
  const base = options.base ?? '';
  const hrefFor = (code: string) => `${base}/jurisdictions/${encodeURIComponent(code)}`;
  const view = layoutStatusMap(worldAtlas(), {
    idPrefix: options.idPrefix ?? 'map',
    cells: jurisdictions,
    euMembers: euMembersOn(asOf),
    measures: MEASURES.map((m) => ({ measure: m.measure, label: m.label })),
    href: hrefFor,
  });
  const svg = renderStatusMapSvg(view, { frame: options.frame, width: options.frame ? undefined : '100%', hrefFor });
  return { view, svg, jurisdictions };
}

export interface MatrixRow {
  code: string;
  name: string;
  cells: Array<{ year: string; status: JurisdictionStatus | null }>;
}

export interface StatusMatrix {
  years: Array<{ year: string; day: string }>;
  rows: MatrixRow[];
}

/** Years shown at most, counting back from today. */
const MATRIX_YEARS = 12;

/**
 * The strongest measure in force at the end of each year, from the first year a measure was
 * taken to this year (whose column is as of today), per jurisdiction.
 */
export async function statusMatrix(db: Db, today: string, vendorId?: number): Promise<StatusMatrix> {
  const first = await firstMeasureYear(
    db,
    MEASURES.map((m) => m.type),
    vendorId,
  );
  if (first === null) return { years: [], rows: [] };
  const thisYear = Number(today.slice(0, 4));
  const years: Array<{ year: string; day: string }> = [];
  for (let y = Math.max(first, thisYear - MATRIX_YEARS + 1); y <= thisYear; y++)
    years.push({ year: String(y), day: y === thisYear ? today : `${y}-12-31` });
  const yearBoards = await Promise.all(years.map((y) => jurisdictionsOn(db, y.day, vendorId)));
  const perYear = yearBoards.map((list) => new Map(list.map((s) => [s.code, s])));
  const codes = [...new Set(perYear.flatMap((m) => [...m.keys()]))];
  const rows = codes.map((code) => ({
    code,
    name: jurisdictionName(code),
    cells: years.map((y, i) => ({ year: y.year, status: perYear[i].get(code) ?? null })),
  }));
  // Strongest (latest year first) at the top, so escalation reads down and to the right.
  const rankOf = (r: MatrixRow) => Math.min(...r.cells.map((c) => (c.status ? (RANK.get(c.status.measure) ?? 99) : 99)));
  rows.sort((a, b) => rankOf(a) - rankOf(b) || a.name.localeCompare(b.name));
  return { years, rows };
}

/** A small square of a measure's colour, named for screen readers and with a tooltip. */
export function measureSwatch(status: JurisdictionStatus | null, label: string): string {
  const fill = status ? status.fill : '#e4e7eb';
  return `<svg${attrs({ width: 18, height: 18, viewBox: '0 0 18 18', role: 'img', 'aria-label': label, class: 'swatch' })}><title>${esc(label)}</title><rect${attrs({ x: 1, y: 1, width: 16, height: 16, rx: 3, fill, stroke: '#1f2328', 'stroke-width': 1 })}/></svg>`;
}

/** The status page's pictures: the map on `asOf` and the year matrix, for one vendor or all. */
export async function statusPictures(
  db: Db,
  asOf: string,
  today: string,
  vendorId?: number,
): Promise<{ map: StatusMap; matrix: StatusMatrix }> {
  const [jurisdictions, matrix] = await Promise.all([jurisdictionsOn(db, asOf, vendorId), statusMatrix(db, today, vendorId)]);
  return { map: statusMapOf(jurisdictions, asOf), matrix };
}

/** The map alone, framed with a title, the day and a link back, for /reports/status.svg. */
export async function statusMapPicture(
  db: Db,
  asOf: string,
  vendor: { id: number; name: string } | null,
  page: { base: string; href: string; drawnOn: string },
): Promise<string> {
  const jurisdictions = await jurisdictionsOn(db, asOf, vendor?.id);
  return statusMapOf(jurisdictions, asOf, {
    base: page.base,
    frame: {
      title: `Measures in force against ${vendor ? vendor.name : 'cybersecurity vendors'} on ${asOf}`,
      subtitle: `Strongest measure per jurisdiction; hatched: EU-wide. Vendor Policy Tracker, drawn ${page.drawnOn}`,
      href: page.href,
    },
  }).svg;
}
