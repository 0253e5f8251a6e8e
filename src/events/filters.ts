import type { Db } from '../db/knex';
import { BadParameter, singleParam } from '../lib/errors';
import { isJurisdictionCode, jurisdictionName } from '../lib/jurisdiction';
import { PartialDateError, parsePartialDate } from '../lib/partialDate';
import { findActorBySlug } from '../actors/repo';
import { findVendorBySlug } from '../vendors/repo';
import type { EventFilter } from './repo';
import { EVENT_TYPES, eventTypeLabel } from './taxonomy';

/** The timeline filters as they appear in the query string (and in the filter form). */
export interface TimelineQuery {
  type: string;
  jurisdiction: string;
  actor: string;
  from: string;
  to: string;
  q: string;
  order: 'asc' | 'desc';
  vendor: string;
}

export const FILTER_PARAMS = ['type', 'jurisdiction', 'actor', 'from', 'to', 'q', 'order'] as const;

const MAX_QUERY_LENGTH = 200;
const MAX_WORDS = 10;

/**
 * Reads and checks the filters of a timeline or export request. Throws `BadParameter`
 * naming the first parameter that cannot be used.
 */
export async function parseTimelineQuery(
  db: Db,
  query: Record<string, unknown>,
  options: { allowVendor: boolean },
): Promise<{ values: TimelineQuery; filter: EventFilter }> {
  const values: TimelineQuery = {
    type: singleParam(query, 'type'),
    jurisdiction: singleParam(query, 'jurisdiction').toUpperCase(),
    actor: singleParam(query, 'actor'),
    from: singleParam(query, 'from'),
    to: singleParam(query, 'to'),
    q: singleParam(query, 'q'),
    order: 'asc',
    vendor: options.allowVendor ? singleParam(query, 'vendor') : '',
  };
  const filter: EventFilter = { order: 'asc' };

  const order = singleParam(query, 'order');
  if (order && order !== 'asc' && order !== 'desc') throw new BadParameter('order', 'use asc (oldest first) or desc (newest first)');
  values.order = order === 'desc' ? 'desc' : 'asc';
  filter.order = values.order;

  if (values.type) {
    if (!(values.type in EVENT_TYPES)) {
      throw new BadParameter('type', `unknown event type "${values.type}"; known types: ${Object.keys(EVENT_TYPES).join(', ')}`);
    }
    filter.type = values.type;
  }
  if (values.jurisdiction) {
    if (!isJurisdictionCode(values.jurisdiction)) {
      throw new BadParameter('jurisdiction', `"${values.jurisdiction}" is not an ISO 3166-1 country code, EU or INT`);
    }
    filter.jurisdiction = values.jurisdiction;
  }
  for (const name of ['from', 'to'] as const) {
    if (!values[name]) continue;
    try {
      const date = parsePartialDate(values[name]);
      if (name === 'from') filter.fromStart = date.start;
      else filter.toEnd = date.end;
    } catch (err) {
      if (err instanceof PartialDateError) throw new BadParameter(name, `"${values[name]}" is not a date: ${err.message}`);
      throw err;
    }
  }
  if (filter.fromStart && filter.toEnd && filter.fromStart > filter.toEnd) {
    throw new BadParameter('to', 'the end of the period comes before its start');
  }
  if (values.q) {
    if (values.q.length > MAX_QUERY_LENGTH) throw new BadParameter('q', `search words are limited to ${MAX_QUERY_LENGTH} characters`);
    filter.words = values.q.split(/\s+/).filter(Boolean).slice(0, MAX_WORDS);
  }
  if (values.actor) {
    const actor = await findActorBySlug(db, values.actor);
    if (!actor) throw new BadParameter('actor', `no actor is recorded as "${values.actor}"`);
    filter.actorId = actor.id;
  }
  if (values.vendor) {
    const vendor = await findVendorBySlug(db, values.vendor);
    if (!vendor) throw new BadParameter('vendor', `no vendor is recorded as "${values.vendor}"`);
    filter.vendorId = vendor.id;
  }
  return { values, filter };
}

/** The query string for a filtered view, without empty values or the default order. */
export function timelineQueryString(values: Partial<TimelineQuery>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...values, ...extra })) {
    if (!value) continue;
    if (key === 'order' && value === 'asc') continue;
    params.set(key, value);
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Reader-facing descriptions of the active filters, e.g. "Type: Ban". */
export function describeFilters(values: TimelineQuery, actorName?: string): string[] {
  const out: string[] = [];
  if (values.type) out.push(`Type: ${eventTypeLabel(values.type)}`);
  if (values.jurisdiction) out.push(`Jurisdiction: ${jurisdictionName(values.jurisdiction)}`);
  if (values.actor) out.push(`Actor: ${actorName ?? values.actor}`);
  if (values.from) out.push(`From: ${values.from}`);
  if (values.to) out.push(`To: ${values.to}`);
  if (values.q) out.push(`Words: ${values.q}`);
  return out;
}

export function hasActiveFilters(values: TimelineQuery): boolean {
  return FILTER_PARAMS.some((p) => p !== 'order' && values[p]);
}
