import type { Db } from '../db/knex';

export interface KeyFigures {
  vendors: number;
  events: number;
  sources: number;
}

/** Counts for the start page: vendors, live events and sources. */
export async function countKeyFigures(db: Db): Promise<KeyFigures> {
  const [vendors, events, sources] = await Promise.all([
    db('vendors').count({ n: '*' }).first(),
    // Live events from the maintained counts (db/migrations/202611291600_measures_in_force.ts), not a pass over every event.
    db('event_counts').sum({ n: 'events' }).first(),
    db('sources').count({ n: '*' }).first(),
  ]);
  const n = (row: unknown) => Number((row as { n?: number | string } | undefined)?.n ?? 0);
  return { vendors: n(vendors), events: n(events), sources: n(sources) };
}

export interface VendorActivity {
  slug: string;
  name: string;
  country: string | null;
  lastOccurred: string;
}

/**
 * Vendors by their latest event, newest first. Reads the newest events (by date, from the
 * index) a window at a time and keeps the first `limit` distinct vendors, so the cost
 * follows the list shown, not the size of the table. The first window is a few events per
 * vendor wanted (the newest events usually name as many vendors); while they name too few,
 * the next window, twice as long, continues after it, up to `maxEvents` events in all.
 */
export async function findVendorsByLatestActivity(db: Db, limit: number, maxEvents = 400): Promise<VendorActivity[]> {
  const seen = new Set<number>();
  const out: VendorActivity[] = [];
  let window = Math.min(maxEvents, Math.max(limit * 4, 8));
  let read = 0;
  let after: { occurredStart: string; id: number } | undefined;
  while (out.length < limit && read < maxEvents) {
    const size = Math.min(window, maxEvents - read);
    const rows = await newestEventVendors(db, size, after);
    const events = new Set(rows.map((r) => Number(r.event_id)));
    for (const r of rows) {
      if (r.id === null || seen.has(Number(r.id))) continue;
      seen.add(Number(r.id));
      out.push({ slug: r.slug, name: r.name, country: r.country, lastOccurred: String(r.last) });
      if (out.length === limit) break;
    }
    // Fewer events than asked for: there are no older ones.
    if (events.size < size) break;
    const last = rows[rows.length - 1];
    after = { occurredStart: String(last.last), id: Number(last.event_id) };
    read += size;
    window *= 2;
  }
  return out;
}

interface EventVendorRow {
  event_id: number | string;
  id: number | string | null;
  slug: string;
  name: string;
  country: string | null;
  last: string;
}

/**
 * The vendors of the newest `size` live events older than `after`, newest event first (an
 * event without a vendor still comes back once, with no vendor, so the events can be counted).
 */
async function newestEventVendors(db: Db, size: number, after?: { occurredStart: string; id: number }): Promise<EventVendorRow[]> {
  const newest = db('events')
    .whereNull('deleted_at')
    .select('id', 'occurred_start')
    .orderBy([
      { column: 'occurred_start', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(size);
  if (after) newest.whereRaw('(occurred_start, id) < (?, ?)', [after.occurredStart, after.id]);
  return (await db
    .from(newest.as('e'))
    .leftJoin('event_vendors as ev', 'ev.event_id', 'e.id')
    .leftJoin('vendors as v', 'v.id', 'ev.vendor_id')
    .select({ event_id: 'e.id' }, 'v.id', 'v.slug', 'v.name', 'v.country', { last: 'e.occurred_start' })
    .orderBy([
      { column: 'e.occurred_start', order: 'desc' },
      { column: 'e.id', order: 'desc' },
    ])) as EventVendorRow[];
}
