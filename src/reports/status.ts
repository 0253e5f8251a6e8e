import type { Db } from '../db/knex';

/**
 * The status board's one mapping from event type to the measure it puts in force,
 * strongest first. Types not listed (statements, investigations, ...) put nothing in force.
 */
export const MEASURES = [
  { measure: 'banned', label: 'Banned', type: 'ban' },
  { measure: 'removal-ordered', label: 'Removal ordered', type: 'removal-order' },
  { measure: 'procurement-excluded', label: 'Excluded from procurement', type: 'procurement-exclusion' },
  { measure: 'advised-against', label: 'Advised against', type: 'advisory' },
  { measure: 'ban-called-for', label: 'Ban called for (non-binding)', type: 'resolution' },
] as const;

export type Measure = (typeof MEASURES)[number]['measure'];

const RANK = new Map<string, number>(MEASURES.map((m, i) => [m.type, i]));
const LIFTING_TYPE = 'restriction-lifted';
const ENDING_RELATIONS = ['reverses', 'supersedes'];

export interface StatusCell {
  vendorSlug: string;
  vendorName: string;
  jurisdiction: string;
  measure: Measure;
  label: string;
  eventId: string;
  eventTitle: string;
  inForceSince: string;
}

interface Candidate {
  id: number;
  public_id: string;
  title: string;
  type: string;
  jurisdiction: string;
  since: string;
  vendor_id: number;
  vendor_slug: string;
  vendor_name: string;
}

/**
 * For each vendor and jurisdiction, the strongest measure in force on `asOf` (YYYY-MM-DD).
 * A measure takes force on its effective date (else its date) and ends with a later
 * restriction-lifted event for the same vendor and jurisdiction, or with an event that
 * reverses or supersedes it, once those are themselves in force.
 */
export async function statusBoard(db: Db, asOf: string, vendorId?: number): Promise<StatusCell[]> {
  const since = db.raw('coalesce(e.effective_start, e.occurred_start)');
  const base = () => {
    const q = db('events as e')
      .join('event_vendors as ev', 'ev.event_id', 'e.id')
      .join('vendors as v', 'v.id', 'ev.vendor_id')
      .whereNull('e.deleted_at')
      .where(since, '<=', asOf);
    if (vendorId !== undefined) q.where('ev.vendor_id', vendorId);
    return q;
  };
  const [candidates, lifts, endedIds] = await Promise.all([
    base()
      .whereIn('e.type', MEASURES.map((m) => m.type))
      .select('e.id', 'e.public_id', 'e.title', 'e.type', 'e.jurisdiction', { since }, { vendor_id: 'v.id', vendor_slug: 'v.slug', vendor_name: 'v.name' }) as Promise<Candidate[]>,
    base().where('e.type', LIFTING_TYPE).select('e.jurisdiction', { since }, { vendor_id: 'v.id' }) as Promise<Array<{ jurisdiction: string; since: string; vendor_id: number }>>,
    db('event_links as l')
      .join('events as e', 'e.id', 'l.from_event_id')
      .whereIn('l.relation', ENDING_RELATIONS)
      .whereNull('e.deleted_at')
      .where(since, '<=', asOf)
      .pluck('l.to_event_id') as Promise<number[]>,
  ]);
  const ended = new Set(endedIds.map(Number));
  const best = new Map<string, Candidate>();
  for (const c of candidates) {
    if (ended.has(Number(c.id))) continue;
    if (lifts.some((l) => Number(l.vendor_id) === Number(c.vendor_id) && l.jurisdiction === c.jurisdiction && l.since >= c.since)) continue;
    const key = `${c.vendor_id}|${c.jurisdiction}`;
    const current = best.get(key);
    const stronger = !current || (RANK.get(c.type) as number) < (RANK.get(current.type) as number);
    const sameButNewer = current && RANK.get(c.type) === RANK.get(current.type) && c.since > current.since;
    if (stronger || sameButNewer) best.set(key, c);
  }
  return [...best.values()]
    .map((c) => {
      const m = MEASURES[RANK.get(c.type) as number];
      return { vendorSlug: c.vendor_slug, vendorName: c.vendor_name, jurisdiction: c.jurisdiction, measure: m.measure, label: m.label, eventId: c.public_id, eventTitle: c.title, inForceSince: c.since };
    })
    .sort((a, b) => a.vendorName.localeCompare(b.vendorName) || a.jurisdiction.localeCompare(b.jurisdiction));
}
