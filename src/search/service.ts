import type { Db } from '../db/knex';
import { type EventDetail, hydrateEvents, liveEvents } from '../events/repo';
import { EVENT_TYPES } from '../events/taxonomy';
import { BadParameter, singleParam } from '../lib/errors';
import { findSourceSummariesByIds, type SourceSummary } from '../sources/repo';
import { findVendorBySlug, listVendorChoicesUpTo } from '../vendors/repo';
import { HIT_END, HIT_START, searchDocuments } from './repo';

export const MAX_QUERY_CHARS = 500;
const MAX_WORDS = 12;
const MAX_WORD_CHARS = 60;
/** Results per page. */
const PAGE_SIZE = 50;
/** Matches ranked at most: beyond it the page says "more than" and asks for narrower words. */
export const MATCH_CAP = 1000;
/** The vendor filter is a drop-down up to this many vendors, a text field for the vendor's id beyond. */
const VENDOR_CHOICES = 200;

export interface SearchLimits {
  pageSize: number;
  cap: number;
}

/** Text with the matched words marked, as segments a view can escape one by one. */
export type Snippet = Array<{ text: string; hit: boolean }>;

export type SearchResult =
  { kind: 'event'; event: EventDetail; snippet: Snippet } | { kind: 'source'; source: SourceSummary; snippet: Snippet };

export interface SearchPage {
  q: string;
  vendor: string;
  type: string;
  words: string[];
  results: SearchResult[];
  /** Set when the query was cut to its first words or characters. */
  trimmed: boolean;
  /** Page number, from 1. */
  page: number;
  /** The position of the page's first result in the whole list, from 1. */
  start: number;
  /** How many documents matched, counted up to `cap`. */
  matches: number;
  /** More than `cap` matched; only the first `cap` found were ranked. */
  capped: boolean;
  cap: number;
  firstHref: string;
  prevHref: string | null;
  nextHref: string | null;
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

/** The page number in `?page=`: 1 when absent; a 400 naming the parameter when it is no page of a capped list. */
function pageNumber(value: string, limits: SearchLimits): number {
  if (!value) return 1;
  const last = Math.ceil(limits.cap / limits.pageSize);
  const page = /^[1-9][0-9]{0,5}$/.test(value) ? Number(value) : NaN;
  if (!(page <= last)) throw new BadParameter('page', `use a page number from 1 to ${last}`);
  return page;
}

function searchHref(params: { q: string; vendor: string; type: string }, page: number): string {
  const query = new URLSearchParams({ q: params.q });
  if (params.vendor) query.set('vendor', params.vendor);
  if (params.type) query.set('type', params.type);
  if (page > 1) query.set('page', String(page));
  return `/search?${query.toString()}`;
}

export async function search(
  db: Db,
  query: Record<string, unknown>,
  limits: SearchLimits = { pageSize: PAGE_SIZE, cap: MATCH_CAP },
): Promise<SearchPage> {
  const q = singleParam(query, 'q');
  const vendorSlug = singleParam(query, 'vendor');
  const type = singleParam(query, 'type');
  const page = pageNumber(singleParam(query, 'page'), limits);
  if (type && !(type in EVENT_TYPES)) throw new BadParameter('type', `unknown event type "${type}"`);
  const vendor = vendorSlug ? await findVendorBySlug(db, vendorSlug) : null;
  if (vendorSlug && !vendor) throw new BadParameter('vendor', `no vendor is recorded as "${vendorSlug}"`);

  const { words, trimmed } = queryWords(q);
  const offset = (page - 1) * limits.pageSize;
  const { hits, matches, capped } = await searchDocuments(
    db,
    words,
    { vendorId: vendor?.id, type: type || undefined },
    { cap: limits.cap, offset, limit: limits.pageSize },
  );

  const eventIds = hits.filter((h) => h.entityType === 'event').map((h) => h.entityId);
  const events = eventIds.length ? await hydrateEvents(db, await liveEvents(db).whereIn('events.id', eventIds).select('events.*')) : [];
  const eventsById = new Map(events.map((e) => [e.id, e]));
  const sources = await findSourceSummariesByIds(
    db,
    hits.filter((h) => h.entityType === 'source').map((h) => h.entityId),
  );
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
  const params = { q, vendor: vendorSlug, type };
  return {
    ...params,
    words,
    results,
    trimmed,
    page,
    start: offset + 1,
    matches,
    capped,
    cap: limits.cap,
    firstHref: searchHref(params, 1),
    prevHref: page > 1 && words.length ? searchHref(params, page - 1) : null,
    nextHref: offset + limits.pageSize < matches ? searchHref(params, page + 1) : null,
  };
}

/** The vendors for the form's drop-down, or null when there are too many for one (the form asks for the id instead). */
export async function vendorChoices(db: Db): Promise<Array<{ slug: string; name: string }> | null> {
  return listVendorChoicesUpTo(db, VENDOR_CHOICES);
}
