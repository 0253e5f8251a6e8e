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
 * follows the list shown, not the size of the table.
 */
export async function findVendorsByLatestActivity(db: Db, limit: number, window = 400): Promise<VendorActivity[]> {
  const rows = (await db
    .from(
      db('events')
        .whereNull('deleted_at')
        .select('id', 'occurred_start')
        .orderBy([
          { column: 'occurred_start', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(window)
        .as('e'),
    )
    .join('event_vendors as ev', 'ev.event_id', 'e.id')
    .join('vendors as v', 'v.id', 'ev.vendor_id')
    .select('v.id', 'v.slug', 'v.name', 'v.country', { last: 'e.occurred_start' })
    .orderBy([
      { column: 'e.occurred_start', order: 'desc' },
      { column: 'e.id', order: 'desc' },
    ])) as Array<{ id: number; slug: string; name: string; country: string | null; last: string }>;
  const seen = new Set<number>();
  const out: VendorActivity[] = [];
  for (const r of rows) {
    if (seen.has(Number(r.id))) continue;
    seen.add(Number(r.id));
    out.push({ slug: r.slug, name: r.name, country: r.country, lastOccurred: String(r.last) });
    if (out.length === limit) break;
  }
  return out;
}
