import type { Knex } from 'knex';
import type { Db } from '../db/knex';
import { isPostgres } from '../db/knex';

type Conn = Db | Knex.Transaction;

/**
 * Keeps the full-text index in step with the records: called in the same transaction
 * as every create, edit, delete, restore and import, so search never shows stale text.
 */
async function writeDocument(db: Conn, type: 'event' | 'source', id: number, title: string, body: string): Promise<void> {
  await db('search_documents').where({ entity_type: type, entity_id: id }).del();
  if (isPostgres(db as Db)) {
    await db.raw(
      `insert into search_documents (entity_type, entity_id, title, body, document)
       values (?, ?, ?, ?, setweight(to_tsvector('english', ?), 'A') || setweight(to_tsvector('english', ?), 'B'))`,
      [type, id, title, body, title, body],
    );
  } else {
    await db('search_documents').insert({ entity_type: type, entity_id: id, title, body });
  }
}

/** Re-indexes an event (title, summary, citation quotes), or drops it when deleted. */
export async function reindexEvent(db: Conn, eventId: number): Promise<void> {
  const event = await db('events').where({ id: eventId }).first('id', 'title', 'summary', 'deleted_at');
  if (!event || event.deleted_at) {
    await db('search_documents').where({ entity_type: 'event', entity_id: eventId }).del();
    return;
  }
  const quotes: string[] = await db('citations').where({ event_id: eventId }).whereNot('quote', '').orderBy('position').pluck('quote');
  await writeDocument(db, 'event', eventId, event.title, [event.summary, ...quotes].join('\n'));
}

/** Re-indexes a source (title, publisher, stored text). */
export async function reindexSource(db: Conn, sourceId: number): Promise<void> {
  const source = await db('sources').where({ id: sourceId }).first('id', 'title', 'publisher', 'body');
  if (!source) {
    await db('search_documents').where({ entity_type: 'source', entity_id: sourceId }).del();
    return;
  }
  await writeDocument(db, 'source', sourceId, source.title, [source.publisher, source.body ?? ''].join('\n'));
}
