import type { Knex } from 'knex';
import { type Db, isPostgres } from '../db/knex';
import { liveEvents } from '../events/repo';

/** A live event citing a source, as the sources report lists it. */
export interface CitingEventRow {
  source_id: number;
  public_id: string;
  title: string;
}

/** The live events citing each of the given sources, in timeline order. */
export async function findCitingEvents(db: Db, sourceIds: readonly number[]): Promise<CitingEventRow[]> {
  if (sourceIds.length === 0) return [];
  return (await liveEvents(db)
    .join('citations', 'citations.event_id', 'events.id')
    .whereIn('citations.source_id', [...sourceIds])
    .select('citations.source_id', 'events.public_id', 'events.title')
    .orderBy([{ column: 'events.occurred_start' }, { column: 'events.id' }])) as CitingEventRow[];
}

/** Events per year and type. */
export interface ActivityRow {
  year: string;
  type: string;
  n: number | string;
}

/**
 * Events per year and type. Every vendor: the maintained counts per jurisdiction, year and
 * type (kept by triggers), not a pass over every event. One vendor: its own events, read
 * through event_vendors' vendor index (CROSS JOIN keeps SQLite starting there, see events/repo.ts).
 */
export async function countActivity(db: Db, vendorId?: number): Promise<ActivityRow[]> {
  const joinEvents = isPostgres(db) ? 'join' : 'crossJoin';
  const withEvents = (from: Knex.QueryBuilder) => from[joinEvents]('events', 'events.id', 'event_vendors.event_id');
  const q =
    vendorId !== undefined
      ? withEvents(db('event_vendors'))
          .where('event_vendors.vendor_id', vendorId)
          .whereNull('events.deleted_at')
          .select(db.raw('substr(events.occurred_start, 1, 4) as year'), 'events.type')
          .count({ n: '*' })
          .groupByRaw('substr(events.occurred_start, 1, 4), events.type')
          .orderByRaw('1, 2')
      : db('event_counts')
          .select('year', 'type')
          .sum({ n: 'events' })
          .groupBy('year', 'type')
          .havingRaw('sum(events) > 0')
          .orderBy(['year', 'type']);
  return (await q) as ActivityRow[];
}
