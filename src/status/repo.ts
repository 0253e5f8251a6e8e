import type { Db } from '../db/knex';

/** The year of the first measure taken (of the given event types), or null when there is none. */
export async function firstMeasureYear(db: Db, types: readonly string[], vendorId?: number): Promise<number | null> {
  const q = db('events as e').whereNull('e.deleted_at').whereIn('e.type', [...types]).min({ first: 'e.occurred_start' });
  if (vendorId !== undefined) {
    q.whereExists(db('event_vendors as ev').select(1).whereRaw('ev.event_id = e.id').andWhere('ev.vendor_id', vendorId));
  }
  const row = (await q.first()) as { first: string | null } | undefined;
  return row?.first ? Number(String(row.first).slice(0, 4)) : null;
}
