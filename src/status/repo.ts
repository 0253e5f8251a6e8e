import type { Db } from '../db/knex';

/** The year of the first measure taken (of the given event types), or null when there is none. */
export async function firstMeasureYear(db: Db, types: readonly string[], vendorId?: number): Promise<number | null> {
  if (vendorId === undefined) {
    // The first of each type is a seek on the type index; a min over every measure would read them all.
    const firsts = await Promise.all(
      types.map(
        async (type) =>
          (await db('events')
            .where('type', type)
            .whereNull('deleted_at')
            .orderBy([{ column: 'occurred_start' }, { column: 'id' }])
            .first('occurred_start')) as { occurred_start: string } | undefined,
      ),
    );
    const days = firsts.flatMap((r) => (r ? [String(r.occurred_start)] : [])).sort();
    return days.length ? Number(days[0].slice(0, 4)) : null;
  }
  // One vendor: its own rows, through event_vendors' vendor index.
  const row = (await db('event_vendors as ev')
    .join('events as e', 'e.id', 'ev.event_id')
    .where('ev.vendor_id', vendorId)
    .whereNull('e.deleted_at')
    .whereIn('e.type', [...types])
    .min({ first: 'e.occurred_start' })
    .first()) as { first: string | null } | undefined;
  return row?.first ? Number(String(row.first).slice(0, 4)) : null;
}
