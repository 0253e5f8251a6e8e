import type { Db } from '../db/knex';
import type { EventDetail } from '../events/repo';
import { findEventRows, hydrateEvents } from '../events/repo';
import { NotFound } from '../lib/errors';
import { isJurisdictionCode, jurisdictionName } from '../lib/jurisdiction';
import { decodeEventCursor, encodeEventCursor } from '../events/cursor';
import { whileUnchanged } from '../status/memo';
import { countEventsByJurisdiction, type JurisdictionCount } from './repo';
import { cellsInJurisdiction } from '../status/inForce';
import { type JurisdictionStatus, jurisdictionsOn, strongestByJurisdiction } from '../status/map';

const JURISDICTION_LIMIT = 400;
export const JURISDICTION_PAGE_EVENTS = 200;

export interface JurisdictionSummary extends JurisdictionCount {
  name: string;
  inForce: JurisdictionStatus | null;
}

/** Every jurisdiction with events, with the strongest measure in force there today. */
export async function listJurisdictions(db: Db, today: string): Promise<JurisdictionSummary[]> {
  const [counts, strongest] = await Promise.all([
    whileUnchanged(db, 'jurisdiction-counts', () => countEventsByJurisdiction(db, JURISDICTION_LIMIT)),
    jurisdictionsOn(db, today),
  ]);
  const inForce = new Map(strongest.map((s) => [s.code, s]));
  return counts
    .map((c) => ({ ...c, name: jurisdictionName(c.code), inForce: inForce.get(c.code) ?? null }))
    .sort((a, b) => b.last.localeCompare(a.last) || a.name.localeCompare(b.name));
}

/** Vendors' measures listed on a jurisdiction's page, strongest first; the rest are counted. */
export const JURISDICTION_PAGE_ENTRIES = 100;

/** What is in force in one jurisdiction on a day: its strongest measure and the first vendors' entries. */
async function inForceIn(db: Db, code: string, asOf: string): Promise<JurisdictionStatus | null> {
  const { cells, more } = await cellsInJurisdiction(db, code, asOf, JURISDICTION_PAGE_ENTRIES);
  const top = strongestByJurisdiction(cells)[0];
  return top ? { ...top, moreEntries: more } : null;
}

export interface JurisdictionPage {
  code: string;
  name: string;
  events: EventDetail[];
  next: string | null;
  inForce: JurisdictionStatus | null;
}

/** One jurisdiction: a page of its events across vendors (oldest first, `after` continues) and what is in force there today. */
export async function getJurisdictionPage(db: Db, rawCode: string, after: string, today: string): Promise<JurisdictionPage> {
  const code = rawCode.toUpperCase();
  if (!isJurisdictionCode(code)) throw new NotFound(`"${rawCode}" is not a jurisdiction: use an ISO 3166-1 country code, EU or INT.`);
  const rows = await findEventRows(db, { jurisdiction: code, order: 'asc' }, JURISDICTION_PAGE_EVENTS + 1, decodeEventCursor(after));
  const shown = rows.slice(0, JURISDICTION_PAGE_EVENTS);
  const last = shown[shown.length - 1];
  const [events, inForce] = await Promise.all([
    hydrateEvents(db, shown),
    whileUnchanged(db, `in-force|${code}|${today}`, () => inForceIn(db, code, today)),
  ]);
  return {
    code,
    name: jurisdictionName(code),
    events,
    next: rows.length > JURISDICTION_PAGE_EVENTS && last ? encodeEventCursor(last) : null,
    inForce,
  };
}
