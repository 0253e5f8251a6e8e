import { type Db, isPostgres } from '../db/knex';
import { type Measure, MEASURES } from '../events/taxonomy';
import { findBoardCellRows, listVendorPageByName } from './repo';

const RANK = new Map<string, number>(MEASURES.map((m, i) => [m.type, i]));

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

const byVendorThenJurisdiction = (a: StatusCell, b: StatusCell) =>
  a.vendorName.localeCompare(b.vendorName) || a.jurisdiction.localeCompare(b.jurisdiction);

/** The board's cells for the given vendors (or every vendor), by vendor name then jurisdiction. */
async function cellsFor(db: Db, asOf: string, vendorIds: readonly number[] | 'all'): Promise<StatusCell[]> {
  // The ranks come from MEASURES (strongest first), so the mapping stays in one place.
  const rows = await findBoardCellRows(
    db,
    asOf,
    vendorIds,
    MEASURES.map((m) => m.type),
  );
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
  const vendors = await listVendorPageByName(db, limit + 1, page.after);
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

/**
 * Vendors in the first page of iterateStatusCells. The download's first byte waits for that
 * page (an error page is still possible until then): on PostgreSQL at a million events, a
 * first page of 500 vendors sent it after 714 ms, one of 25 after 69 ms.
 */
const FIRST_PAGE_VENDORS = 25;

/**
 * Vendors in each later page of iterateStatusCells. SQLite reads each vendor's events by
 * index whatever the page (the query's CROSS JOIN), so big pages only save queries: the
 * whole board at a million events took 1.7 s in pages of 500, 3.0 s in pages of 50.
 * PostgreSQL's planner reads the vendors' events by index only while it expects few of
 * them. At a million events (100 a vendor) some pages of 75 vendors, and every larger page,
 * read every event of the table instead: 0.6 s a page of 500 and 11.8 s for the whole board
 * (7.6 s in pages of 75), against 3.7-4.0 s in pages of 25 or 50. It keeps the first page's
 * size, a third of the size where that started.
 */
const pageVendorsFor = (db: Db) => (isPostgres(db) ? FIRST_PAGE_VENDORS : 500);

/**
 * Every cell of the board, a page of vendors at a time, for a CSV that starts at once and
 * stays small: the first page small, then each twice the one before up to `pageVendors`, so
 * a long board still costs few queries.
 */
export async function* iterateStatusCells(
  db: Db,
  asOf: string,
  pageVendors = pageVendorsFor(db),
  firstPageVendors = FIRST_PAGE_VENDORS,
): AsyncGenerator<StatusCell> {
  let after: [string, number] | undefined;
  let limit = Math.min(firstPageVendors, pageVendors);
  for (;;) {
    const page = await statusBoardPage(db, asOf, { limit, after });
    yield* page.cells;
    if (!page.next) return;
    after = page.next;
    limit = Math.min(pageVendors, limit * 2);
  }
}
