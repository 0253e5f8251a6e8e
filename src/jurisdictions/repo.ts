import type { Db } from '../db/knex';

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
      .orderBy([
        { column: 'occurred_start', order },
        { column: 'id', order },
      ])
      .first('occurred_start') as Promise<{ occurred_start: string } | undefined>;
  const out: JurisdictionCount[] = [];
  for (const c of counts) {
    const [first, last] = await Promise.all([edge(c.jurisdiction, 'asc'), edge(c.jurisdiction, 'desc')]);
    out.push({
      code: c.jurisdiction,
      events: Number(c.n),
      first: String(first?.occurred_start ?? ''),
      last: String(last?.occurred_start ?? ''),
    });
  }
  return out;
}
