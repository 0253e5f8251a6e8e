import type { Db } from '../db/knex';

/** The year of the first measure taken (of the given event types), or null when there is none. */
export async function firstMeasureYear(db: Db, types: readonly string[], vendorId?: number): Promise<number | null> {
  if (vendorId === undefined) {
    // The first of each type is a seek on the type index; a min over every measure would read them all.
    const firsts = await Promise.all(
      types.map(async (type) => (await db('events').where('type', type).whereNull('deleted_at').orderBy([{ column: 'occurred_start' }, { column: 'id' }]).first('occurred_start')) as { occurred_start: string } | undefined),
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

export interface JurisdictionCount {
  code: string;
  events: number;
  first: string;
  last: string;
}

/**
 * Every jurisdiction with live events: how many (from the maintained event_counts), the
 * first and the latest (two seeks per jurisdiction on the jurisdiction index). Bounded by
 * `limit` (there are some 250 codes).
 */
export async function countEventsByJurisdiction(db: Db, limit: number): Promise<JurisdictionCount[]> {
  const counts = (await db('event_counts')
    .groupBy('jurisdiction')
    .select('jurisdiction')
    .sum({ n: 'events' })
    .havingRaw('sum(events) > 0')
    .orderBy('jurisdiction')
    .limit(limit)) as Array<{ jurisdiction: string; n: number | string }>;
  const edge = (code: string, order: 'asc' | 'desc') =>
    db('events')
      .where('jurisdiction', code)
      .whereNull('deleted_at')
      .orderBy([{ column: 'occurred_start', order }, { column: 'id', order }])
      .first('occurred_start') as Promise<{ occurred_start: string } | undefined>;
  const out: JurisdictionCount[] = [];
  for (const c of counts) {
    const [first, last] = await Promise.all([edge(c.jurisdiction, 'asc'), edge(c.jurisdiction, 'desc')]);
    out.push({ code: c.jurisdiction, events: Number(c.n), first: String(first?.occurred_start ?? ''), last: String(last?.occurred_start ?? '') });
  }
  return out;
}
