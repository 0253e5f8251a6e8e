/**
 * Every vendor's measures in force on a day, read from the maintained `measures_in_force`
 * table (src/events/inForce.ts keeps it) rather than decided from every vendor's events:
 * the map of all vendors, its year matrix, the start page's figures and the jurisdiction
 * pages. Each answer is bounded: a few vendor names per jurisdiction, a page of entries.
 * A cell is the status board's: per vendor and jurisdiction the strongest measure in force,
 * then the latest in force, then the first recorded.
 */
import { type Db, isPostgres } from '../db/knex';
import { MEASURES, type StatusCell } from '../reports/status';

const RANK = new Map<string, number>(MEASURES.map((m, i) => [m.type as string, i]));
const BY_TYPE = new Map<string, (typeof MEASURES)[number]>(MEASURES.map((m) => [m.type as string, m]));

/** Stretches in force on the day bound twice at `?`. */
const IN_FORCE = 'm.valid_from <= ? and (m.valid_until is null or m.valid_until > ?)';
// Ranks are positions in MEASURES, written as numbers so they sort as numbers.
const rankSql = (column: string) => `case ${column} ${MEASURES.map((_m, i) => `when ? then ${i}`).join(' ')} end`;
const rankBindings = () => MEASURES.map((m) => m.type as string);

function rowsOf<T>(db: Db, result: unknown): T[] {
  return (isPostgres(db) ? (result as { rows: T[] }).rows : result) as T[];
}

export interface JurisdictionTop {
  code: string;
  type: string;
  /** How many vendors have this measure as their strongest there. */
  vendorCount: number;
  /** The first of them (earliest in force, then by name), at most `namesPerJurisdiction`. */
  cells: StatusCell[];
}

interface CellRow {
  vendor_slug: string;
  vendor_name: string;
  jurisdiction: string;
  type: string;
  since: string;
  public_id: string;
  title: string;
}

function cellOf(r: CellRow): StatusCell {
  const m = BY_TYPE.get(r.type) as (typeof MEASURES)[number];
  return { vendorSlug: r.vendor_slug, vendorName: r.vendor_name, jurisdiction: r.jurisdiction, measure: m.measure, label: m.label, eventId: r.public_id, eventTitle: r.title, inForceSince: String(r.since) };
}

/**
 * Per jurisdiction, the strongest measure in force on `asOf` against any vendor, how many
 * vendors it holds, and the first of them. Two statements: counts per jurisdiction and
 * measure (an index range of the stretches begun by then), then the named cells of the
 * strongest measures only.
 */
export async function strongestInForce(db: Db, asOf: string, namesPerJurisdiction: number): Promise<JurisdictionTop[]> {
  const counts = rowsOf<{ jurisdiction: string; type: string; vendors: number | string }>(
    db,
    await db.raw(`select m.jurisdiction, m.type, count(distinct m.vendor_id) as vendors from measures_in_force m where ${IN_FORCE} group by m.jurisdiction, m.type`, [asOf, asOf]),
  );
  const top = new Map<string, { type: string; vendors: number }>();
  for (const c of counts) {
    const held = top.get(c.jurisdiction);
    if (!held || (RANK.get(c.type) ?? 99) < (RANK.get(held.type) ?? 99)) top.set(c.jurisdiction, { type: c.type, vendors: Number(c.vendors) });
  }
  if (top.size === 0) return [];
  const pairs = [...top.entries()];
  // Each vendor's cell among the strongest measures: its latest stretch in force (then the first event).
  const sql = `
    select c.jurisdiction, c.type, c.since, e.public_id, e.title, v.slug as vendor_slug, v.name as vendor_name
    from (
      select x.*, row_number() over (partition by x.jurisdiction order by x.since, v2.name, v2.id) as k
      from (
        select m.jurisdiction, m.type, m.vendor_id, m.event_id, m.since,
               row_number() over (partition by m.vendor_id, m.jurisdiction order by m.since desc, m.event_id) as n
        from measures_in_force m
        where ${IN_FORCE} and (${pairs.map(() => '(m.jurisdiction = ? and m.type = ?)').join(' or ')})
      ) x join vendors v2 on v2.id = x.vendor_id
      where x.n = 1
    ) c
    join vendors v on v.id = c.vendor_id
    join events e on e.id = c.event_id
    where c.k <= ?
    order by c.jurisdiction, c.k`;
  const rows = rowsOf<CellRow>(db, await db.raw(sql, [asOf, asOf, ...pairs.flatMap(([code, t]) => [code, t.type]), namesPerJurisdiction]));
  const cells = new Map<string, StatusCell[]>();
  for (const r of rows) cells.set(r.jurisdiction, [...(cells.get(r.jurisdiction) ?? []), cellOf(r)]);
  return pairs.map(([code, t]) => ({ code, type: t.type, vendorCount: t.vendors, cells: cells.get(code) ?? [] }));
}

/**
 * One jurisdiction's cells on `asOf`, strongest first (then earliest in force, then by
 * vendor name), at most `limit`, and how many there are in all.
 */
export async function cellsInJurisdiction(db: Db, code: string, asOf: string, limit: number): Promise<{ cells: StatusCell[]; total: number }> {
  const sql = `
    select x.jurisdiction, x.type, x.since, e.public_id, e.title, v.slug as vendor_slug, v.name as vendor_name, count(*) over () as total
    from (
      select m.jurisdiction, m.type, m.vendor_id, m.event_id, m.since, ${rankSql('m.type')} as rank,
             row_number() over (partition by m.vendor_id order by ${rankSql('m.type')}, m.since desc, m.event_id) as n
      from measures_in_force m
      where m.jurisdiction = ? and ${IN_FORCE}
    ) x
    join vendors v on v.id = x.vendor_id
    join events e on e.id = x.event_id
    where x.n = 1
    order by x.rank, x.since, v.name, v.id
    limit ?`;
  const rows = rowsOf<CellRow & { total: number | string }>(db, await db.raw(sql, [...rankBindings(), ...rankBindings(), code, asOf, asOf, limit]));
  return { cells: rows.map(cellOf), total: rows.length ? Number(rows[0].total) : 0 };
}

/** How many vendor-and-jurisdiction cells are in force on `asOf`, and in how many jurisdictions. */
export async function countInForce(db: Db, asOf: string): Promise<{ cells: number; jurisdictions: number }> {
  const [row] = rowsOf<{ cells: number | string; jurisdictions: number | string }>(
    db,
    await db.raw(
      `select count(*) as cells, count(distinct jurisdiction) as jurisdictions
       from (select distinct m.vendor_id, m.jurisdiction from measures_in_force m where ${IN_FORCE}) c`,
      [asOf, asOf],
    ),
  );
  return { cells: Number(row?.cells ?? 0), jurisdictions: Number(row?.jurisdictions ?? 0) };
}
