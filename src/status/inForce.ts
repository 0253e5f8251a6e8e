/**
 * Every vendor's measures in force on a day, read from the maintained `measures_in_force`
 * table (src/events/inForce.ts keeps it) rather than decided from every vendor's events:
 * the map of all vendors, its year matrix, the start page's figures and the jurisdiction
 * pages. Each answer is bounded: a few vendor names per jurisdiction, a page of entries.
 * A cell is the status board's: per vendor and jurisdiction the strongest measure in force,
 * then the latest in force, then the first recorded.
 */
import { type Db, isPostgres } from '../db/knex';
import { MEASURES } from '../events/taxonomy';
import type { StatusCell } from './board';

const BY_TYPE = new Map<string, (typeof MEASURES)[number]>(MEASURES.map((m) => [m.type as string, m]));

/** Stretches in force on the day bound twice at `?`. */
const IN_FORCE = 'm.valid_from <= ? and (m.valid_until is null or m.valid_until > ?)';
const rankBindings = () => MEASURES.map((m) => m.type as string);

function rowsOf<T>(db: Db, result: unknown): T[] {
  return (isPostgres(db) ? (result as { rows: T[] }).rows : result) as T[];
}

export interface JurisdictionTop {
  code: string;
  type: string;
  /** The first vendors (earliest in force) holding it there, at most `namesPerJurisdiction`, each with its cell. */
  cells: StatusCell[];
  /** Whether more vendors than those hold it. */
  more: boolean;
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
  return {
    vendorSlug: r.vendor_slug,
    vendorName: r.vendor_name,
    jurisdiction: r.jurisdiction,
    measure: m.measure,
    label: m.label,
    eventId: r.public_id,
    eventTitle: r.title,
    inForceSince: String(r.since),
  };
}

/** A stretch of (jurisdiction, type) in force on the day: a seek on measures_in_force_map_idx. */
const HELD = `select 1 from measures_in_force m where m.jurisdiction = j.jurisdiction and m.type = ? and ${IN_FORCE}`;

/**
 * Per jurisdiction, the strongest measure in force on `asOf` against any vendor, and the
 * first vendors holding it (earliest in force first). Costs seeks, not a pass over the
 * stretches: per jurisdiction, one index probe per measure, strongest first, until one
 * holds (a vendor whose measure is the jurisdiction's strongest has it as its own strongest
 * too); then the first stretches of that measure in index order.
 */
export async function strongestInForce(db: Db, asOf: string, namesPerJurisdiction: number): Promise<JurisdictionTop[]> {
  // The jurisdictions that ever had a measure: a handful of rows from the maintained counts.
  const codes = rowsOf<{ jurisdiction: string }>(
    db,
    await db.raw(
      `select distinct jurisdiction from event_counts where events > 0 and type in (${MEASURES.map(() => '?').join(', ')})`,
      rankBindings(),
    ),
  ).map((r) => r.jurisdiction);
  if (codes.length === 0) return [];
  const strongest = `case ${MEASURES.map((_m, i) => `when exists (${HELD}) then ${i}`).join(' ')} end`;
  const tops = rowsOf<{ jurisdiction: string; rank: number | string | null }>(
    db,
    await db.raw(
      `select j.jurisdiction, ${strongest} as rank from (${codes.map(() => 'select cast(? as varchar(8)) as jurisdiction').join(' union all ')}) j`,
      [...MEASURES.flatMap((m) => [m.type, asOf, asOf]), ...codes],
    ),
  ).filter((r) => r.rank !== null);
  const out: JurisdictionTop[] = [];
  for (const t of tops) {
    const type = MEASURES[Number(t.rank)].type as string;
    // The first stretches in index order (valid_from), a few more than the names, for distinct vendors.
    const rows = rowsOf<CellRow & { vendor_id: number | string }>(
      db,
      await db.raw(
        `select m.vendor_id, m.jurisdiction, m.type, m.since, e.public_id, e.title, v.slug as vendor_slug, v.name as vendor_name
         from (select * from measures_in_force m where m.jurisdiction = ? and m.type = ? and ${IN_FORCE} order by m.valid_from, m.vendor_id limit ?) m
         join vendors v on v.id = m.vendor_id
         join events e on e.id = m.event_id
         order by m.valid_from, v.name, m.vendor_id`,
        [t.jurisdiction, type, asOf, asOf, namesPerJurisdiction * 4 + 1],
      ),
    );
    const seen = new Set<number>();
    const cells: StatusCell[] = [];
    for (const r of rows) {
      if (seen.has(Number(r.vendor_id))) continue;
      seen.add(Number(r.vendor_id));
      cells.push(cellOf(r));
    }
    out.push({
      code: t.jurisdiction,
      type,
      cells: cells.slice(0, namesPerJurisdiction),
      more: cells.length > namesPerJurisdiction || rows.length === namesPerJurisdiction * 4 + 1,
    });
  }
  return out;
}

/**
 * One jurisdiction's cells on `asOf`, strongest first (then earliest in force, then by
 * vendor name), at most `limit`, and whether there are more. Bounded: measure by measure,
 * strongest first, the first vendors holding it there (in index order) whose own strongest
 * it is, then those vendors' cells from their own rows.
 */
export async function cellsInJurisdiction(
  db: Db,
  code: string,
  asOf: string,
  limit: number,
): Promise<{ cells: StatusCell[]; more: boolean }> {
  const cells: StatusCell[] = [];
  for (let i = 0; i < MEASURES.length; i++) {
    const want = limit - cells.length;
    const stronger = MEASURES.slice(0, i).map((m) => m.type as string);
    const notStronger = stronger.length
      ? `and not exists (select 1 from measures_in_force s where s.vendor_id = m.vendor_id and s.jurisdiction = m.jurisdiction
           and s.type in (${stronger.map(() => '?').join(', ')}) and s.valid_from <= ? and (s.valid_until is null or s.valid_until > ?))`
      : '';
    const vendors = rowsOf<{ vendor_id: number | string }>(
      db,
      await db.raw(
        `select distinct m.vendor_id from measures_in_force m where m.jurisdiction = ? and m.type = ? and ${IN_FORCE} ${notStronger} limit ?`,
        [code, MEASURES[i].type, asOf, asOf, ...(stronger.length ? [...stronger, asOf, asOf] : []), want + 1],
      ),
    ).map((r) => Number(r.vendor_id));
    if (vendors.length === 0) continue;
    if (want === 0) return { cells, more: true };
    const more = vendors.length > want;
    if (more) vendors.length = want;
    // Each vendor's cell: its latest stretch in force of this measure (then the first event).
    const rows = rowsOf<CellRow>(
      db,
      await db.raw(
        `select x.jurisdiction, x.type, x.since, e.public_id, e.title, v.slug as vendor_slug, v.name as vendor_name
         from (
           select m.jurisdiction, m.type, m.vendor_id, m.event_id, m.since,
                  row_number() over (partition by m.vendor_id order by m.since desc, m.event_id) as n
           from measures_in_force m
           where m.vendor_id in (${vendors.map(() => '?').join(', ')}) and m.jurisdiction = ? and m.type = ? and ${IN_FORCE}
         ) x
         join vendors v on v.id = x.vendor_id
         join events e on e.id = x.event_id
         where x.n = 1
         order by x.since, v.name, v.id`,
        [...vendors, code, MEASURES[i].type, asOf, asOf],
      ),
    );
    cells.push(...rows.map(cellOf));
    if (more) return { cells, more };
  }
  return { cells, more: false };
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
