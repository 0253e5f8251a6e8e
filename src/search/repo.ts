import type { Knex } from 'knex';
import { countAtMost, type Db, isPostgres } from '../db/knex';

/** Marks around matched words in snippets (private-use characters, never in real text). */
export const HIT_START = '\ue000';
export const HIT_END = '\ue001';

export interface SearchFilter {
  vendorId?: number;
  type?: string;
}

export interface SearchHit {
  entityType: 'event' | 'source';
  entityId: number;
  snippet: string;
}

/** One page of ranked hits, and how many documents matched (counted up to the cap). */
export interface SearchHits {
  hits: SearchHit[];
  /** Matches counted, at most `cap`. */
  matches: number;
  /** More than `cap` documents match: only the first `cap` found were ranked. */
  capped: boolean;
}

export interface SearchWindow {
  /** Documents ranked at most; more matches are counted as "more than". */
  cap: number;
  offset: number;
  limit: number;
}

interface Candidate {
  /** SQLite: the document's rowid in the index. */
  doc?: number | string;
  entity_type: 'event' | 'source';
  entity_id: number | string;
  /** Higher is better. */
  score: number | string;
}

const keyOf = (type: string, id: number | string) => `${type}:${Number(id)}`;

/** Restricts hits to the vendor / type: events directly, sources through the events citing them. */
function matchingEvents(db: Db, filter: SearchFilter): Knex.QueryBuilder {
  // One vendor's events are read through its rows in event_vendors (CROSS JOIN keeps SQLite
  // from walking every event instead), so the filter costs what the vendor holds.
  let q: Knex.QueryBuilder;
  if (filter.vendorId !== undefined) {
    const from = db('event_vendors');
    q = (
      isPostgres(db)
        ? from.join('events', 'events.id', 'event_vendors.event_id')
        : from.crossJoin('events', 'events.id', 'event_vendors.event_id')
    ).where('event_vendors.vendor_id', filter.vendorId);
  } else {
    q = db('events');
  }
  q.select('events.id').whereNull('events.deleted_at');
  if (filter.type) q.where('events.type', filter.type);
  return q;
}

function applyFilter(query: Knex.QueryBuilder, db: Db, filter: SearchFilter, typeCol: string, idCol: string): void {
  query.where((w) => {
    w.where((x) => x.where(typeCol, 'event').whereIn(idCol, matchingEvents(db, filter)));
    w.orWhere((x) =>
      x
        .where(typeCol, 'source')
        .whereIn(idCol, db('citations').select('citations.source_id').whereIn('citations.event_id', matchingEvents(db, filter))),
    );
  });
}

const hasFilter = (filter: SearchFilter) => filter.vendorId !== undefined || !!filter.type;

/** The PostgreSQL tsquery of `words`: every word, stemmed; the last one also as the start of a word when `prefix`. */
function pgQuery(db: Db, words: string[], prefix: boolean): Knex.Raw {
  if (!prefix) return db.raw("to_tsquery('english', ?)", [words.join(' & ')]);
  // The prefix is matched unstemmed ('simple'), or "conned" (stem "con") would find "contracts".
  const head = words.slice(0, -1).join(' & ');
  const last = words[words.length - 1];
  const lastQuery = "(to_tsquery('english', ?) || to_tsquery('simple', ?))";
  // In parentheses: it is used as an operand of @@.
  return head ? db.raw(`(to_tsquery('english', ?) && ${lastQuery})`, [head, last, `${last}:*`]) : db.raw(lastQuery, [last, `${last}:*`]);
}

/** A last word shorter than this is never taken as the start of longer words: too many start so. */
const MIN_PREFIX_CHARS = 3;
/** On PostgreSQL, `match` says only which query to build. */
const PG_EXACT = 'exact';
const PG_PREFIX = 'prefix';

/** The FTS5 query of `words`: each one quoted (so it is never syntax), the last one also as a prefix when `prefix`. */
function ftsQuery(words: string[], prefix: boolean): string {
  return words.map((w, i) => `"${w}"${prefix && i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** On SQLite, the filter as the rowids of the documents it keeps, which FTS5 looks up directly. */
function filteredRowids(db: Db, filter: SearchFilter): Knex.QueryBuilder {
  const content = db('search_document_content').select('id');
  applyFilter(content, db, filter, 'entity_type', 'entity_id');
  return content;
}

/** On SQLite, how many documents `match` finds with the filter, counted up to `upTo` (rowids only, no text read). */
async function countMatches(db: Db, match: string, filter: SearchFilter, upTo: number): Promise<number> {
  const found = db('search_documents').select('rowid').whereRaw('search_documents match ?', [match]);
  if (hasFilter(filter)) found.whereIn('rowid', filteredRowids(db, filter));
  return countAtMost(db, found, upTo);
}

/**
 * The first `cap + 1` matches the index yields, each with its relevance. A page shows a
 * few of them, so ranking every match of a common word would cost the whole index: the
 * index hands over at most this bounded set (on SQLite the newest documents first, on
 * PostgreSQL in the order the GIN bitmap finds them), and only these are ranked.
 */
async function candidates(db: Db, words: string[], match: string, filter: SearchFilter, cap: number): Promise<Candidate[]> {
  if (isPostgres(db)) {
    const tsquery = pgQuery(db, words, match === PG_PREFIX);
    const found = db('search_documents')
      .select('entity_type', 'entity_id', 'document')
      .whereRaw('document @@ ?', [tsquery])
      .limit(cap + 1);
    if (hasFilter(filter)) applyFilter(found, db, filter, 'entity_type', 'entity_id');
    return db.from(found.as('found')).select('entity_type', 'entity_id', db.raw('ts_rank_cd(document, ?) as score', [tsquery]));
  }
  // More than `cap` matches: the newest cap + 1, straight from the index's rowid order (it
  // stops there). At most `cap`: all of them, in the index's ascending order, which costs
  // least. Walking the lists backwards costs more the longer they are: at 1M events,
  // "telemetry 2 vendor" (one hit, its last word in every document) takes 1.5 ms newest
  // first and 0.5 ms oldest first, and the count before it 0.1-0.4 ms.
  const many = (await countMatches(db, match, filter, cap + 1)) > cap;
  const query = db('search_documents')
    .select(
      { doc: 'rowid' },
      'entity_type',
      'entity_id',
      'title',
      db.raw('substr(body, 1, ?) as body', [RANKED_BODY_CHARS]),
      db.raw('length(body) as body_length'),
    )
    .whereRaw('search_documents match ?', [match])
    .orderBy('rowid', many ? 'desc' : 'asc')
    .limit(cap + 1);
  if (hasFilter(filter)) query.whereIn('rowid', filteredRowids(db, filter));
  const rows = (await query) as Array<Candidate & { title: string; body: string; body_length: number }>;
  const scores = bm25Scores(words, match.endsWith('*'), rows);
  return rows.map((r, i) => ({ doc: r.doc, entity_type: r.entity_type, entity_id: r.entity_id, score: scores[i] }));
}

/** How much of a long body is read for ranking; the rest is counted by its length. */
const RANKED_BODY_CHARS = 4000;
const TITLE_WEIGHT = 5;
const K1 = 1.2;
const B = 0.75;

/** Words as FTS5's unicode61 tokenizer (remove_diacritics 2) sees them, near enough for ranking. */
function tokensOf(text: string): string[] {
  return (
    text
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/**
 * BM25 over the candidates, title hits weighing five times body hits, as FTS5's bm25()
 * would give with those column weights, less the inverse document frequency: FTS5 finds
 * that by walking every document holding each word (all of them, for a common word), and
 * since every candidate holds every word it only weighs the words against each other.
 */
function bm25Scores(
  words: string[],
  lastIsPrefix: boolean,
  docs: ReadonlyArray<{ title: string; body: string; body_length: number }>,
): number[] {
  const wanted = words.map((w) => tokensOf(w).join(''));
  const last = wanted.length - 1;
  const stats = docs.map((d) => {
    const title = tokensOf(d.title);
    const body = tokensOf(d.body);
    // A body cut for ranking stands for the whole: its counts are scaled by the part read.
    const scale = d.body.length > 0 && d.body_length > d.body.length ? d.body_length / d.body.length : 1;
    const count = (list: string[], i: number) =>
      list.filter((t) => (i === last && lastIsPrefix ? t.startsWith(wanted[i]) : t === wanted[i])).length;
    return {
      length: title.length + body.length * scale,
      tf: wanted.map((_, i) => TITLE_WEIGHT * count(title, i) + count(body, i) * scale),
    };
  });
  const average = stats.reduce((sum, s) => sum + s.length, 0) / Math.max(1, stats.length) || 1;
  return stats.map((s) => s.tf.reduce((sum, tf) => sum + (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * s.length) / average)), 0));
}

/** The snippets of a page of hits, with the matched words between HIT_START and HIT_END. */
async function snippets(db: Db, words: string[], match: string, hits: readonly Candidate[]): Promise<Map<string, string>> {
  if (hits.length === 0) return new Map();
  let rows: Array<{ entity_type: string; entity_id: number | string; snippet: string | null }>;
  if (isPostgres(db)) {
    rows = await db('search_documents')
      .select('entity_type', 'entity_id')
      .select(
        db.raw(`ts_headline('english', title || ' — ' || body, ?, ?) as snippet`, [
          pgQuery(db, words, match === PG_PREFIX),
          `StartSel=${HIT_START}, StopSel=${HIT_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`,
        ]),
      )
      .whereIn(
        ['entity_type', 'entity_id'],
        hits.map((h) => [h.entity_type, Number(h.entity_id)]),
      );
  } else {
    const docs = hits.map((h) => Number(h.doc));
    rows = await db('search_documents')
      .select('entity_type', 'entity_id', db.raw(`snippet(search_documents, -1, ?, ?, '…', 20) as snippet`, [HIT_START, HIT_END]))
      .whereRaw('search_documents match ?', [match])
      // One pass over the page's rowid range, the page's documents picked from it: `rowid in`
      // alone would run the whole match once per document.
      .whereBetween('rowid', [Math.min(...docs), Math.max(...docs)])
      .whereRaw(`+rowid in (${docs.map(() => '?').join(', ')})`, docs);
  }
  return new Map(rows.map((r) => [keyOf(r.entity_type, r.entity_id), r.snippet ?? '']));
}

/**
 * A page of full-text hits for `words` (already reduced to letters and digits, so no user
 * text reaches the query syntax), best first: FTS5 ranked by BM25 on SQLite (see
 * `bm25Scores`), tsvector with ts_rank_cd on PostgreSQL. At most `cap` matches are ranked
 * (see `candidates`), so a page costs about the same whether a word is in a hundred
 * documents or in a million. The last word may also be the start of a word, but only when
 * the words as typed find nothing.
 */
export async function searchDocuments(db: Db, words: string[], filter: SearchFilter, window: SearchWindow): Promise<SearchHits> {
  if (words.length === 0) return { hits: [], matches: 0, capped: false };
  let match = isPostgres(db) ? PG_EXACT : ftsQuery(words, false);
  let found = await candidates(db, words, match, filter, window.cap);
  if (found.length === 0 && words[words.length - 1].length >= MIN_PREFIX_CHARS) {
    // Nothing with the words as typed: the last one may be a word still being typed. Only
    // then, since a prefix costs every document holding a word that starts with it (FTS5
    // merges their lists; PostgreSQL's GIN reads every such entry whole).
    match = isPostgres(db) ? PG_PREFIX : ftsQuery(words, true);
    found = await candidates(db, words, match, filter, window.cap);
  }
  const capped = found.length > window.cap;
  const ranked = found
    .slice(0, window.cap)
    .map((c) => ({ ...c, entity_id: Number(c.entity_id), score: Number(c.score) }))
    // Ties in a fixed order, so pages never overlap.
    .sort(
      (a, b) => b.score - a.score || (a.entity_type < b.entity_type ? -1 : a.entity_type > b.entity_type ? 1 : a.entity_id - b.entity_id),
    );
  const page = ranked.slice(window.offset, window.offset + window.limit);
  const texts = await snippets(db, words, match, page);
  return {
    hits: page.map((c) => ({
      entityType: c.entity_type,
      entityId: c.entity_id,
      snippet: texts.get(keyOf(c.entity_type, c.entity_id)) ?? '',
    })),
    matches: ranked.length,
    capped,
  };
}
