/**
 * The maintained table of measures in force (`measures_in_force`, db/migrations/
 * 202611291600_measures_in_force.ts): one row per vendor, measure event and stretch of days
 * in which the measure is in force, [valid_from, valid_until). The status board's map, its
 * year matrix, the start page and the jurisdiction pages read it instead of deciding every
 * vendor's board from its events; the write path (events/writes.ts) recomputes the rows of
 * the vendors a write touches, in the same transaction.
 *
 * The rule is the status board's (status/board.ts): a measure takes force on its effective
 * date (else its date); it ends for good on the date of the first live event that reverses or
 * supersedes it; a restriction-lifted event of the same vendor and jurisdiction dated on or
 * after the measure suspends it from its own date until that lift is itself reversed or
 * superseded (then the measure is in force again). So a measure is in force over its own
 * span minus the spans of the lifts that came on or after it: zero or more stretches.
 */
import type { Knex } from 'knex';
import { chunks, insertRows } from '../db/bulk';
import { type Db, isPostgres } from '../db/knex';
// The one mapping of measures (the lead moves it to events/taxonomy; read from there then).
import { MEASURES } from './taxonomy';

export const LIFTING_TYPE = 'restriction-lifted';
export const ENDING_RELATIONS = ['reverses', 'supersedes'] as const;
const MEASURE_TYPES: readonly string[] = MEASURES.map((m) => m.type);
const VENDORS_PER_STATEMENT = 500;

export type InForceRow = {
  vendor_id: number;
  event_id: number;
  jurisdiction: string;
  type: string;
  since: string;
  valid_from: string;
  valid_until: string | null;
};

interface SourceRow {
  vendor_id: number | string;
  id: number | string;
  type: string;
  jurisdiction: string;
  since: string;
}

const sinceOf = (alias: string) => `coalesce(${alias}.effective_start, ${alias}.occurred_start)`;
const join = (conn: Db) => (isPostgres(conn as Knex) ? 'join' : 'cross join');

/** The first day each of `eventIds` is ended by a live reversing or superseding event. */
async function endings(conn: Db, eventIds: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const slice of chunks(eventIds, 5_000)) {
    if (slice.length === 0) continue;
    const rows = (await conn.raw(
      `select l.to_event_id as id, min(${sinceOf('f')}) as ended
       from event_links l ${join(conn)} events f on f.id = l.from_event_id
       where l.to_event_id in (${slice.map(() => '?').join(', ')})
         and l.relation in (${ENDING_RELATIONS.map(() => '?').join(', ')})
         and f.deleted_at is null
       group by l.to_event_id`,
      [...slice, ...ENDING_RELATIONS],
    )) as unknown;
    const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as Array<{ id: number | string; ended: string }>;
    for (const r of list) out.set(Number(r.id), String(r.ended));
  }
  return out;
}

/** Subtracts the spans `cuts` (each [from, until), until null = open) from [from, until). */
function subtract(from: string, until: string | null, cuts: ReadonlyArray<[string, string | null]>): Array<[string, string | null]> {
  let pieces: Array<[string, string | null]> = [[from, until]];
  for (const [cf, cu] of cuts) {
    const next: Array<[string, string | null]> = [];
    for (const [pf, pu] of pieces) {
      // Part before the cut.
      if (pf < cf) next.push([pf, pu === null || pu > cf ? cf : pu]);
      // Part after the cut.
      if (cu !== null && (pu === null || pu > cu)) next.push([pf > cu ? pf : cu, pu]);
    }
    pieces = next.filter(([f, u]) => u === null || f < u);
  }
  return pieces;
}

/** The rows of `measures_in_force` for the given vendors, computed from their events. */
export async function computeInForce(conn: Db, vendorIds: readonly number[]): Promise<InForceRow[]> {
  const out: InForceRow[] = [];
  const types = [...MEASURE_TYPES, LIFTING_TYPE];
  for (const slice of chunks([...new Set(vendorIds)], VENDORS_PER_STATEMENT)) {
    if (slice.length === 0) continue;
    // CROSS JOIN keeps SQLite reading from the vendors' rows (see events/repo.ts).
    const result = (await conn.raw(
      `select ev.vendor_id, e.id, e.type, e.jurisdiction, ${sinceOf('e')} as since
       from event_vendors ev ${join(conn)} events e on e.id = ev.event_id
       where ev.vendor_id in (${slice.map(() => '?').join(', ')})
         and e.deleted_at is null
         and e.type in (${types.map(() => '?').join(', ')})`,
      [...slice, ...types],
    )) as unknown;
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as SourceRow[];
    const ended = await endings(conn, [...new Set(rows.map((r) => Number(r.id)))]);
    // Per vendor and jurisdiction: its lifts (as spans) and its measures.
    const groups = new Map<string, { lifts: Array<[string, string | null]>; measures: SourceRow[] }>();
    for (const r of rows) {
      const key = `${r.vendor_id}|${r.jurisdiction}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { lifts: [], measures: [] }));
      const since = String(r.since);
      if (r.type === LIFTING_TYPE) {
        const until = ended.get(Number(r.id)) ?? null;
        if (until === null || since < until) g.lifts.push([since, until]);
      } else {
        g.measures.push(r);
      }
    }
    for (const g of groups.values()) {
      for (const m of g.measures) {
        const since = String(m.since);
        const until = ended.get(Number(m.id)) ?? null;
        if (until !== null && until <= since) continue;
        // A lift dated on or after the measure suspends it (an earlier lift does not).
        const cuts = g.lifts.filter(([from]) => from >= since);
        for (const [from, to] of subtract(since, until, cuts)) {
          out.push({
            vendor_id: Number(m.vendor_id),
            event_id: Number(m.id),
            jurisdiction: m.jurisdiction,
            type: m.type,
            since,
            valid_from: from,
            valid_until: to,
          });
        }
      }
    }
  }
  return out;
}

/**
 * Transactions that write in many batches (the import) recompute each touched vendor once,
 * at the end (flushInForce), not once per batch it appears in.
 */
const deferred = new WeakMap<object, Set<number>>();

export function deferInForce(trx: Knex.Transaction): void {
  if (!deferred.has(trx)) deferred.set(trx, new Set());
}

/** Recomputes the vendors a deferring transaction touched; call before it commits. */
export async function flushInForce(trx: Knex.Transaction): Promise<void> {
  const pending = deferred.get(trx);
  if (!pending) return;
  deferred.delete(trx);
  await refreshInForce(trx, [...pending]);
}

/** Replaces the rows of the given vendors with freshly computed ones. Run inside the write's transaction. */
export async function refreshInForce(conn: Db, vendorIds: readonly number[]): Promise<void> {
  const pending = deferred.get(conn);
  if (pending) {
    for (const id of vendorIds) pending.add(Number(id));
    return;
  }
  const ids = [...new Set(vendorIds.map(Number))].sort((a, b) => a - b);
  for (const slice of chunks(ids, VENDORS_PER_STATEMENT)) {
    await conn('measures_in_force').whereIn('vendor_id', slice).del();
    await insertRows(conn, 'measures_in_force', await computeInForce(conn, slice));
  }
}

/** Recomputes the whole table (the migration's backfill; the benchmark after writing raw rows). */
export async function rebuildInForce(conn: Db): Promise<void> {
  await conn('measures_in_force').del();
  let after = 0;
  for (;;) {
    const vendors = (await conn('vendors').where('id', '>', after).orderBy('id').limit(VENDORS_PER_STATEMENT).pluck('id')) as Array<
      number | string
    >;
    if (vendors.length === 0) return;
    await insertRows(conn, 'measures_in_force', await computeInForce(conn, vendors.map(Number)));
    after = Number(vendors[vendors.length - 1]);
  }
}

/**
 * The vendors whose rows a change to `eventIds` may move: the events' own vendors, and the
 * vendors of the events they reverse or supersede. Read before and after a write.
 */
export async function vendorsTouchedBy(conn: Db, eventIds: readonly number[]): Promise<number[]> {
  const out = new Set<number>(await vendorsEndedBy(conn, eventIds));
  for (const slice of chunks([...new Set(eventIds)], 5_000)) {
    if (slice.length === 0) continue;
    const own = (await conn('event_vendors').whereIn('event_id', slice).distinct('vendor_id')) as Array<{ vendor_id: number | string }>;
    for (const r of own) out.add(Number(r.vendor_id));
  }
  return [...out];
}

/** The vendors of the events that `fromIds` reverse or supersede (before their links are replaced). */
export async function vendorsEndedBy(conn: Db, fromIds: readonly number[]): Promise<number[]> {
  const out = new Set<number>();
  for (const slice of chunks([...new Set(fromIds)], 5_000)) {
    if (slice.length === 0) continue;
    const rows = (await conn('event_links as l')
      .join('event_vendors as ev', 'ev.event_id', 'l.to_event_id')
      .whereIn('l.from_event_id', slice)
      .whereIn('l.relation', [...ENDING_RELATIONS])
      .distinct('ev.vendor_id')) as Array<{ vendor_id: number | string }>;
    for (const r of rows) out.add(Number(r.vendor_id));
  }
  return [...out];
}

/** For a change that touches only events `eventIds` (deleting or restoring them): refresh what they move. */
export async function refreshInForceForEvents(trx: Knex.Transaction, eventIds: readonly number[]): Promise<void> {
  await refreshInForce(trx, await vendorsTouchedBy(trx, eventIds));
}
