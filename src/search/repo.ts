import type { Knex } from 'knex';
import { type Db, isPostgres } from '../db/knex';

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

/** Restricts hits to the vendor / type: events directly, sources through the events citing them. */
function applyFilter(query: Knex.QueryBuilder, db: Db, filter: SearchFilter, typeCol: string, idCol: string): void {
  if (filter.vendorId === undefined && !filter.type) return;
  // One vendor's events are read through its rows in event_vendors (CROSS JOIN keeps SQLite
  // from walking every event instead), so the filter costs what the vendor holds.
  const matchingEvents = () => {
    let q: Knex.QueryBuilder;
    if (filter.vendorId !== undefined) {
      const from = db('event_vendors');
      q = (isPostgres(db) ? from.join('events', 'events.id', 'event_vendors.event_id') : from.crossJoin('events', 'events.id', 'event_vendors.event_id')).where('event_vendors.vendor_id', filter.vendorId);
    } else {
      q = db('events');
    }
    q.select('events.id').whereNull('events.deleted_at');
    if (filter.type) q.where('events.type', filter.type);
    return q;
  };
  query.where((w) => {
    w.where((x) => x.where(typeCol, 'event').whereIn(idCol, matchingEvents()));
    w.orWhere((x) => x.where(typeCol, 'source').whereIn(idCol, db('citations').select('citations.source_id').whereIn('citations.event_id', matchingEvents())));
  });
}

/**
 * Ranked full-text hits for `words` (already reduced to letters and digits, so no user
 * text reaches the query syntax). FTS5 on SQLite, tsvector on PostgreSQL.
 */
export async function searchDocuments(db: Db, words: string[], filter: SearchFilter, limit: number): Promise<SearchHit[]> {
  if (words.length === 0) return [];
  let rows: Array<{ entity_type: string; entity_id: number | string; snippet: string }>;
  if (isPostgres(db)) {
    // Every word, stemmed; the last one may also be the start of a word. The prefix is
    // matched unstemmed ('simple'), or "conned" (stem "con") would find "contracts".
    const head = words.slice(0, -1).join(' & ');
    const last = words[words.length - 1];
    const lastQuery = "(to_tsquery('english', ?) || to_tsquery('simple', ?))";
    const tsquery = head ? db.raw(`to_tsquery('english', ?) && ${lastQuery}`, [head, last, `${last}:*`]) : db.raw(lastQuery, [last, `${last}:*`]);
    const query = db
      .from(db.raw('search_documents, (select ? as q) as query', [tsquery]))
      .select('entity_type', 'entity_id')
      .select(
        db.raw(
          `ts_headline('english', title || ' — ' || body, q, ?) as snippet`,
          [`StartSel=${HIT_START}, StopSel=${HIT_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`],
        ),
      )
      .whereRaw('document @@ q')
      .orderByRaw('ts_rank_cd(document, q) desc, entity_type, entity_id')
      .limit(limit);
    applyFilter(query, db, filter, 'entity_type', 'entity_id');
    rows = await query;
  } else {
    const match = words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
    const query = db('search_documents')
      .select('entity_type', 'entity_id')
      .select(db.raw(`snippet(search_documents, -1, ?, ?, '…', 20) as snippet`, [HIT_START, HIT_END]))
      .whereRaw('search_documents match ?', [match])
      // Title hits weigh more than body hits.
      .orderByRaw('bm25(search_documents, 0, 0, 5.0, 1.0), entity_type, entity_id')
      .limit(limit);
    applyFilter(query, db, filter, 'entity_type', 'entity_id');
    rows = await query;
  }
  return rows.map((r) => ({ entityType: r.entity_type as 'event' | 'source', entityId: Number(r.entity_id), snippet: r.snippet ?? '' }));
}
