import type { Knex } from 'knex';
import { type Db, isPostgres } from './knex';
import { chunks, insertRows, jsonRowsSelect, selectInChunks, whereInValues } from './bulk';

type EntityType = 'event' | 'source';

interface SearchDocument {
  entityType: EntityType;
  entityId: number;
  title: string;
  body: string;
}

// Documents per statement (each statement's rows or ids travel as one JSON parameter).
const DOCUMENTS_PER_STATEMENT = 1_000;

/**
 * Keeps the full-text index in step with the records: called in the same transaction
 * as every create, edit, delete, restore and import, so search never shows stale text.
 * Each entity in `ids` is removed from the index and, when it is in `documents`, written
 * again: a handful of statements per batch, whatever its size.
 */
async function replaceDocuments(
  conn: Db,
  entityType: EntityType,
  ids: readonly number[],
  documents: readonly SearchDocument[],
): Promise<void> {
  if (isPostgres(conn)) {
    await replaceOnPostgres(conn, entityType, ids, documents);
    return;
  }
  await forgetOnSqlite(conn, entityType, ids);
  await addOnSqlite(conn, entityType, documents);
}

/** The content rows of these entities (SQLite), found through the content table's unique key. */
function contentOf(conn: Db, entityType: EntityType, ids: readonly number[]): Knex.QueryBuilder {
  return whereInValues(conn('search_document_content').where('entity_type', entityType), 'entity_id', ids);
}

/**
 * Sends the content rows of these entities to the index: as documents to index, or, with FTS5's
 * 'delete' command, as the documents to forget (their rowid and the text they were indexed with).
 */
async function sendToIndex(conn: Db, entityType: EntityType, ids: readonly number[], forget: boolean): Promise<void> {
  const cells = ['id', 'entity_type', 'entity_id', 'title', 'body'];
  const { sql, bindings } = contentOf(conn, entityType, ids)
    .select(forget ? [conn.raw("'delete'"), ...cells] : cells)
    .toSQL();
  const columns = `${forget ? 'search_documents, ' : ''}rowid, entity_type, entity_id, title, body`;
  await conn.raw(`insert into search_documents (${columns}) ${sql}`, bindings as Knex.RawBinding[]);
}

async function forgetOnSqlite(conn: Db, entityType: EntityType, ids: readonly number[]): Promise<void> {
  for (const slice of chunks(ids, DOCUMENTS_PER_STATEMENT)) {
    // External content: the index forgets a document given its rowid and the text it
    // indexed, both found through the content table's unique key, not by scanning the index.
    await sendToIndex(conn, entityType, slice, true);
    await contentOf(conn, entityType, slice).del();
  }
}

async function addOnSqlite(conn: Db, entityType: EntityType, documents: readonly SearchDocument[]): Promise<void> {
  for (const slice of chunks(documents, DOCUMENTS_PER_STATEMENT)) {
    await insertRows(conn, 'search_document_content', slice.map(contentRow));
    await sendToIndex(
      conn,
      entityType,
      slice.map((d) => d.entityId),
      false,
    );
  }
}

async function replaceOnPostgres(
  conn: Db,
  entityType: EntityType,
  ids: readonly number[],
  documents: readonly SearchDocument[],
): Promise<void> {
  // A document written again replaces its row through the primary key (the upsert below); only
  // the entities left without one are deleted. A delete by (entity_type, entity_id in …) was
  // planned on statistics that a freshly filled table does not have yet: PostgreSQL took
  // entity_type = 'event' for a rare value and read every event's document to find a batch's
  // thousand (100 ms a batch at 100,000 events, and growing with the table).
  const rewritten = new Set(documents.map((d) => d.entityId));
  for (const slice of chunks(
    ids.filter((id) => !rewritten.has(id)),
    DOCUMENTS_PER_STATEMENT,
  )) {
    await conn('search_documents').where('entity_type', entityType).whereIn('entity_id', slice).del();
  }
  for (const slice of chunks(documents, DOCUMENTS_PER_STATEMENT)) {
    const { select, binding } = jsonRowsSelect(
      conn,
      'search_documents',
      ['entity_type', 'entity_id', 'title', 'body'],
      slice.map(contentRow),
    );
    await conn.raw(
      `insert into search_documents (entity_type, entity_id, title, body, document)
       select v.entity_type, v.entity_id, v.title, v.body,
              setweight(to_tsvector('english', v.title), 'A') || setweight(to_tsvector('english', v.body), 'B')
       from (${select}) as v
       on conflict (entity_type, entity_id) do update
       set title = excluded.title, body = excluded.body, document = excluded.document`,
      [binding],
    );
  }
}

const contentRow = (d: SearchDocument) => ({ entity_type: d.entityType, entity_id: d.entityId, title: d.title, body: d.body });

/** Re-indexes events (title, summary, citation quotes); deleted or missing ones are dropped. */
export async function reindexEvents(conn: Db, eventIds: readonly number[]): Promise<void> {
  const ids = [...new Set(eventIds)];
  if (ids.length === 0) return;
  const events = await selectInChunks(ids, (slice) =>
    conn('events').whereIn('id', slice).whereNull('deleted_at').select('id', 'title', 'summary'),
  );
  const quotes = await selectInChunks(ids, (slice) =>
    conn('citations')
      .whereIn('event_id', slice)
      .whereNot('quote', '')
      .orderBy([{ column: 'event_id' }, { column: 'position' }, { column: 'id' }])
      .select('event_id', 'quote'),
  );
  const quotesByEvent = new Map<number, string[]>();
  for (const q of quotes as Array<{ event_id: number; quote: string }>) {
    const list = quotesByEvent.get(Number(q.event_id)) ?? [];
    list.push(q.quote);
    quotesByEvent.set(Number(q.event_id), list);
  }
  const documents = (events as Array<{ id: number; title: string; summary: string }>).map((e) =>
    eventDocument({ eventId: Number(e.id), title: e.title, summary: e.summary, quotes: quotesByEvent.get(Number(e.id)) ?? [] }),
  );
  await replaceDocuments(conn, 'event', ids, documents);
}

/** What an event's document is made of: its title, its summary and its citations' quotes in order. */
export interface EventText {
  eventId: number;
  title: string;
  summary: string;
  /** Quotes of its citations by position; empty ones are left out. */
  quotes: readonly string[];
}

const eventDocument = (e: EventText): SearchDocument => ({
  entityType: 'event',
  entityId: e.eventId,
  title: e.title,
  body: [e.summary, ...e.quotes.filter((q) => q !== '')].join('\n'),
});

/**
 * Indexes events whose text the caller has just written, without reading it back: the same
 * documents `reindexEvents` makes. `replacedIds` are the events that may already have one
 * (updated events); new events have none to remove.
 */
export async function indexEventTexts(conn: Db, texts: readonly EventText[], replacedIds: readonly number[]): Promise<void> {
  await replaceDocuments(conn, 'event', [...new Set(replacedIds)], texts.map(eventDocument));
}

/** A source's text as the index takes it. */
export interface SourceText {
  sourceId: number;
  title: string;
  publisher: string;
  body: string | null;
}

const sourceDocument = (s: SourceText): SearchDocument => ({
  entityType: 'source',
  entityId: s.sourceId,
  title: s.title,
  body: [s.publisher, s.body ?? ''].join('\n'),
});

/** Re-indexes sources (title, publisher, stored text). */
export async function reindexSources(conn: Db, sourceIds: readonly number[]): Promise<void> {
  const ids = [...new Set(sourceIds)];
  if (ids.length === 0) return;
  const sources = await selectInChunks(ids, (slice) => conn('sources').whereIn('id', slice).select('id', 'title', 'publisher', 'body'));
  const documents = (sources as Array<{ id: number; title: string; publisher: string; body: string | null }>).map((s) =>
    sourceDocument({ sourceId: Number(s.id), title: s.title, publisher: s.publisher, body: s.body }),
  );
  await replaceDocuments(conn, 'source', ids, documents);
}

/**
 * Indexes sources just created, from the text the caller wrote, without reading it back or
 * looking for documents to remove (a new source has none): what `reindexSources` makes.
 */
export async function indexNewSources(conn: Db, texts: readonly SourceText[]): Promise<void> {
  await replaceDocuments(conn, 'source', [], texts.map(sourceDocument));
}

/** Re-indexes one event, or drops it when deleted. */
export async function reindexEvent(conn: Db, eventId: number): Promise<void> {
  await reindexEvents(conn, [eventId]);
}

/** Re-indexes one source. */
export async function reindexSource(conn: Db, sourceId: number): Promise<void> {
  await reindexSources(conn, [sourceId]);
}
