/**
 * Every vendor's measures in force on a day, read from the maintained `measures_in_force`
 * table (src/events/inForce.ts keeps it) rather than decided from every vendor's events:
 * the map of all vendors, its year matrix, the start page's figures and the jurisdiction
 * pages. Each answer is bounded: a few vendor names per jurisdiction, a page of entries.
 * A cell is the status board's: per vendor and jurisdiction the strongest measure in force,
 * then the latest in force, then the first recorded.
 */
import type { Db } from '../db/knex';
import { MEASURES } from '../events/taxonomy';
import type { StatusCell } from './board';
import {
  countCellsInForce,
  findFirstStretches,
  findMeasureTypesHeld,
  findLatestStretchCells,
  findStrongestRanks,
  findVendorsWhoseStrongestIs,
  listJurisdictionsWithMeasures,
  type StatusCellRow,
} from './repo';

const BY_TYPE = new Map<string, (typeof MEASURES)[number]>(MEASURES.map((m) => [m.type as string, m]));
const measureTypes = () => MEASURES.map((m) => m.type as string);

export interface JurisdictionTop {
  code: string;
  type: string;
  /** The first vendors (earliest in force) holding it there, at most `namesPerJurisdiction`, each with its cell. */
  cells: StatusCell[];
  /** Whether more vendors than those hold it. */
  more: boolean;
}

function cellOf(r: StatusCellRow): StatusCell {
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

/**
 * Per jurisdiction, the strongest measure in force on `asOf` against any vendor, and the
 * first vendors holding it (earliest in force first). Costs seeks, not a pass over the
 * stretches: per jurisdiction, one index probe per measure, strongest first, until one
 * holds (a vendor whose measure is the jurisdiction's strongest has it as its own strongest
 * too); then the first stretches of that measure in index order.
 */
export async function strongestInForce(db: Db, asOf: string, namesPerJurisdiction: number): Promise<JurisdictionTop[]> {
  const codes = await listJurisdictionsWithMeasures(db, measureTypes());
  const tops = await findStrongestRanks(db, codes, measureTypes(), asOf);
  const out: JurisdictionTop[] = [];
  for (const t of tops) {
    const type = MEASURES[t.rank].type as string;
    // The first stretches in index order (valid_from), a few more than the names, for distinct vendors.
    const rows = await findFirstStretches(db, t.jurisdiction, type, asOf, namesPerJurisdiction * 4 + 1);
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
 * vendor name), at most `limit`, and whether there are more. Bounded: first which measures
 * anyone holds there (one statement of index probes); then, for those only, strongest first,
 * the first vendors holding it there (in index order) whose own strongest it is, and those
 * vendors' cells from their own rows. A measure no one holds there cannot be stronger than a
 * vendor's, so only the held ones are checked as stronger.
 */
export async function cellsInJurisdiction(
  db: Db,
  code: string,
  asOf: string,
  limit: number,
): Promise<{ cells: StatusCell[]; more: boolean }> {
  const cells: StatusCell[] = [];
  const held = await findMeasureTypesHeld(db, code, measureTypes(), asOf);
  for (let i = 0; i < MEASURES.length; i++) {
    if (!held.has(MEASURES[i].type)) continue;
    const want = limit - cells.length;
    const stronger = MEASURES.slice(0, i)
      .map((m) => m.type as string)
      .filter((t) => held.has(t));
    const vendors = await findVendorsWhoseStrongestIs(db, code, MEASURES[i].type, stronger, asOf, want + 1);
    if (vendors.length === 0) continue;
    if (want === 0) return { cells, more: true };
    const more = vendors.length > want;
    if (more) vendors.length = want;
    // Each vendor's cell: its latest stretch in force of this measure (then the first event).
    const rows = await findLatestStretchCells(db, vendors, code, MEASURES[i].type, asOf);
    cells.push(...rows.map(cellOf));
    if (more) return { cells, more };
  }
  return { cells, more: false };
}

/** How many vendor-and-jurisdiction cells are in force on `asOf`, and in how many jurisdictions. */
export async function countInForce(db: Db, asOf: string): Promise<{ cells: number; jurisdictions: number }> {
  return countCellsInForce(db, asOf);
}
