import type { Db } from '../db/knex';
import { type EventDetail, hydrateEvents, liveEvents } from '../events/repo';
import { EVENT_TYPES } from '../events/taxonomy';
import { BadParameter, singleParam } from '../lib/errors';
import { findSourcesByIds, type Source } from '../sources/repo';
import { findVendorBySlug } from '../vendors/repo';
import { HIT_END, HIT_START, searchDocuments } from './repo';

export const MAX_QUERY_CHARS = 500;
const MAX_WORDS = 12;
const MAX_WORD_CHARS = 60;
const RESULT_LIMIT = 50;

/** Text with the matched words marked, as segments a view can escape one by one. */
export type Snippet = Array<{ text: string; hit: boolean }>;

export type SearchResult =
  | { kind: 'event'; event: EventDetail; snippet: Snippet }
  | { kind: 'source'; source: Source; snippet: Snippet };

export interface SearchPage {
  q: string;
  vendor: string;
  type: string;
  words: string[];
  results: SearchResult[];
  /** Set when the query was cut to its first words or characters. */
  trimmed: boolean;
}

/**
 * The words of a query: runs of letters and digits, lower-cased. Operators, quotes and
 * brackets are dropped, so any input is a valid query on both databases.
 */
export function queryWords(q: string): { words: string[]; trimmed: boolean } {
  const text = q.normalize('NFC');
  const all = (text.slice(0, MAX_QUERY_CHARS).match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.toLowerCase().slice(0, MAX_WORD_CHARS));
  const words = [...new Set(all)].slice(0, MAX_WORDS);
  return { words, trimmed: text.length > MAX_QUERY_CHARS || new Set(all).size > MAX_WORDS };
}

export function snippetSegments(snippet: string): Snippet {
  const out: Snippet = [];
  const re = new RegExp(`${HIT_START}([^${HIT_END}]*)${HIT_END}`, 'g');
  let last = 0;
  for (const m of snippet.matchAll(re)) {
    if (m.index > last) out.push({ text: snippet.slice(last, m.index), hit: false });
    out.push({ text: m[1], hit: true });
    last = m.index + m[0].length;
  }
  if (last < snippet.length) out.push({ text: snippet.slice(last).replace(new RegExp(`[${HIT_START}${HIT_END}]`, 'g'), ''), hit: false });
  return out;
}

export async function search(db: Db, query: Record<string, unknown>): Promise<SearchPage> {
  const q = singleParam(query, 'q');
  const vendorSlug = singleParam(query, 'vendor');
  const type = singleParam(query, 'type');
  if (type && !(type in EVENT_TYPES)) throw new BadParameter('type', `unknown event type "${type}"`);
  const vendor = vendorSlug ? await findVendorBySlug(db, vendorSlug) : null;
  if (vendorSlug && !vendor) throw new BadParameter('vendor', `no vendor is recorded as "${vendorSlug}"`);

  const { words, trimmed } = queryWords(q);
  const hits = await searchDocuments(db, words, { vendorId: vendor?.id, type: type || undefined }, RESULT_LIMIT);

  const eventIds = hits.filter((h) => h.entityType === 'event').map((h) => h.entityId);
  const events = eventIds.length ? await hydrateEvents(db, await liveEvents(db).whereIn('events.id', eventIds).select('events.*')) : [];
  const eventsById = new Map(events.map((e) => [e.id, e]));
  const sources = await findSourcesByIds(db, hits.filter((h) => h.entityType === 'source').map((h) => h.entityId));
  const sourcesById = new Map(sources.map((s) => [s.id, s]));
  const results: SearchResult[] = [];
  for (const hit of hits) {
    if (hit.entityType === 'event') {
      const event = eventsById.get(hit.entityId);
      if (event) results.push({ kind: 'event', event, snippet: snippetSegments(hit.snippet) });
    } else {
      const source = sourcesById.get(hit.entityId);
      if (source) results.push({ kind: 'source', source, snippet: snippetSegments(hit.snippet) });
    }
  }
  return { q, vendor: vendorSlug, type, words, results, trimmed };
}
