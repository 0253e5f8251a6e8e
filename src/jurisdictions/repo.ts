import type { Db } from '../db/knex';

export interface JurisdictionCount {
  code: string;
  events: number;
  first: string;
  last: string;
}

/**
 * Every jurisdiction with live events: how many, the first and the latest. Bounded by
 * `limit` (there are some 250 codes); reads the jurisdiction index.
 */
export async function countEventsByJurisdiction(db: Db, limit: number): Promise<JurisdictionCount[]> {
  const rows = (await db('events')
    .whereNull('deleted_at')
    .groupBy('jurisdiction')
    .select('jurisdiction')
    .count({ n: '*' })
    .min({ first: 'occurred_start' })
    .max({ last: 'occurred_start' })
    .orderBy('jurisdiction')
    .limit(limit)) as Array<{ jurisdiction: string; n: number | string; first: string; last: string }>;
  return rows.map((r) => ({ code: r.jurisdiction, events: Number(r.n), first: String(r.first), last: String(r.last) }));
}
