import { type Db, isPostgres } from '../db/knex';
import { type Measure, MEASURES } from '../events/taxonomy';

const RANK = new Map<string, number>(MEASURES.map((m, i) => [m.type, i]));
const LIFTING_TYPE = 'restriction-lifted';
const ENDING_RELATIONS = ['reverses', 'supersedes'];

export interface StatusCell {
  vendorSlug: string;
  vendorName: string;
  jurisdiction: string;
  measure: Measure;
  label: string;
  eventId: string;
  eventTitle: string;
  inForceSince: string;
}

interface CellRow {
  public_id: string;
  title: string;
  type: string;
  jurisdiction: string;
  since: string;
  vendor_slug: string;
  vendor_name: string;
}

const byVendorThenJurisdiction = (a: StatusCell, b: StatusCell) =>
  a.vendorName.localeCompare(b.vendorName) || a.jurisdiction.localeCompare(b.jurisdiction);

/**
 * The board's cells for the given vendors (or every vendor), computed in one SQL statement:
 * the candidates are the listed vendors' measures in force by `asOf` that nothing lifted,
 * reversed or superseded by then (lifts read once per vendor and jurisdiction, not once per
 * measure); a window picks the strongest (then the latest) per vendor
 * and jurisdiction. The ranks come from MEASURES, so the mapping stays in one place.
 * Each candidate reads its own vendor's rows only (event_vendors' vendor index), so a
 * page of vendors costs what those vendors hold.
 */
async function cellsFor(db: Db, asOf: string, vendorIds: readonly number[] | 'all'): Promise<StatusCell[]> {
  if (vendorIds !== 'all' && vendorIds.length === 0) return [];
  const since = (alias: string) => `coalesce(${alias}.effective_start, ${alias}.occurred_start)`;
  // Outside PostgreSQL, CROSS JOIN keeps SQLite reading from the vendors' rows (see events/repo.ts).
  const join = isPostgres(db) ? 'join' : 'cross join';
  // Ranks are the positions in MEASURES, written as numbers (not text-typed parameters) so they sort as numbers.
  const rank = `case e.type ${MEASURES.map((_m, i) => `when ? then ${i}`).join(' ')} end`;
  const rankBindings = MEASURES.map((m) => m.type);
  const vendorFilter = vendorIds === 'all' ? '' : `and ev.vendor_id in (${vendorIds.map(() => '?').join(', ')})`;
  // The latest lift per vendor and jurisdiction, read once: a measure is lifted when a
  // lift in force by asOf came on or after it (the latest such lift decides).
  const sql = `
    with lifts as (
      select ev.vendor_id, e.jurisdiction, max(${since('e')}) as lifted_since
      from event_vendors ev ${join} events e on e.id = ev.event_id
      where e.deleted_at is null
        ${vendorFilter}
        and e.type = ?
        and ${since('e')} <= ?
        -- A lift that a court (or anyone) reversed or superseded by asOf no longer lifts.
        and not exists (
          select 1 from event_links l ${join} events g on g.id = l.from_event_id
          where l.to_event_id = e.id and l.relation in (${ENDING_RELATIONS.map(() => '?').join(', ')})
            and g.deleted_at is null and ${since('g')} <= ?)
      group by ev.vendor_id, e.jurisdiction
    ),
    candidates as (
      select e.id, e.public_id, e.title, e.type, e.jurisdiction, ${since('e')} as since, ev.vendor_id, ${rank} as rank
      from event_vendors ev ${join} events e on e.id = ev.event_id
      left join lifts lf on lf.vendor_id = ev.vendor_id and lf.jurisdiction = e.jurisdiction
      where e.deleted_at is null
        ${vendorFilter}
        and e.type in (${MEASURES.map(() => '?').join(', ')})
        and ${since('e')} <= ?
        and (lf.lifted_since is null or lf.lifted_since < ${since('e')})
        and not exists (
          select 1 from event_links l ${join} events f on f.id = l.from_event_id
          where l.to_event_id = e.id and l.relation in (${ENDING_RELATIONS.map(() => '?').join(', ')})
            and f.deleted_at is null and ${since('f')} <= ?)
    ),
    ranked as (
      select candidates.*, row_number() over (partition by vendor_id, jurisdiction order by rank, since desc, id) as n
      from candidates
    )
    select r.public_id, r.title, r.type, r.jurisdiction, r.since, v.slug as vendor_slug, v.name as vendor_name
    from ranked r join vendors v on v.id = r.vendor_id
    where r.n = 1`;
  const vendorBindings = vendorIds === 'all' ? [] : vendorIds;
  const bindings = [
    ...vendorBindings,
    LIFTING_TYPE,
    asOf,
    ...ENDING_RELATIONS,
    asOf,
    ...rankBindings,
    ...vendorBindings,
    ...MEASURES.map((m) => m.type),
    asOf,
    ...ENDING_RELATIONS,
    asOf,
  ];
  const result = await db.raw(sql, bindings);
  const rows = (isPostgres(db) ? result.rows : result) as CellRow[];
  return rows
    .map((c) => {
      const m = MEASURES[RANK.get(c.type) as number];
      return {
        vendorSlug: c.vendor_slug,
        vendorName: c.vendor_name,
        jurisdiction: c.jurisdiction,
        measure: m.measure,
        label: m.label,
        eventId: c.public_id,
        eventTitle: c.title,
        inForceSince: c.since,
      };
    })
    .sort(byVendorThenJurisdiction);
}

/**
 * For each vendor and jurisdiction, the strongest measure in force on `asOf` (YYYY-MM-DD).
 * A measure takes force on its effective date (else its date) and ends with a later
 * restriction-lifted event for the same vendor and jurisdiction, or with an event that
 * reverses or supersedes it, once those are themselves in force.
 * Without `vendorId`, every vendor: prefer statusBoardPage or iterateStatusCells on big databases.
 */
export async function statusBoard(db: Db, asOf: string, vendorId?: number): Promise<StatusCell[]> {
  return cellsFor(db, asOf, vendorId === undefined ? 'all' : [vendorId]);
}

/** How many vendors one page of the board covers. */
export const STATUS_PAGE_VENDORS = 50;

/** The vendors of one page of the board, by name, after the vendor `after` (its name and id). */
async function vendorPage(db: Db, limit: number, after?: readonly [string, number]): Promise<Array<{ id: number; name: string }>> {
  const query = db('vendors')
    .select('id', 'name')
    .orderBy([{ column: 'name' }, { column: 'id' }])
    .limit(limit);
  if (after) {
    const [name, id] = after;
    query.whereRaw('(name, id) > (?, ?)', [name, id]);
  }
  return query;
}

/**
 * The board for one page of vendors (by name), after the vendor named by `after`; `next`
 * is the name and id of the page's last vendor when more vendors follow.
 */
export async function statusBoardPage(
  db: Db,
  asOf: string,
  page: { limit?: number; after?: readonly [string, number] } = {},
): Promise<{ cells: StatusCell[]; next: [string, number] | null }> {
  const limit = page.limit ?? STATUS_PAGE_VENDORS;
  const vendors = await vendorPage(db, limit + 1, page.after);
  const shown = vendors.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    cells: await cellsFor(
      db,
      asOf,
      shown.map((v) => Number(v.id)),
    ),
    next: vendors.length > limit && last ? [last.name, Number(last.id)] : null,
  };
}

/** Every cell of the board, a page of vendors at a time, for a CSV that starts at once and stays small. */
export async function* iterateStatusCells(db: Db, asOf: string, pageVendors = 500): AsyncGenerator<StatusCell> {
  let after: [string, number] | undefined;
  for (;;) {
    const page = await statusBoardPage(db, asOf, { limit: pageVendors, after });
    yield* page.cells;
    if (!page.next) return;
    after = page.next;
  }
}
