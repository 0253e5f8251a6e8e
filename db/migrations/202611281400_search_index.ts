import type { Knex } from 'knex';

// Full-text search needs each database's own machinery, so this migration is the one
// place that speaks two dialects: an FTS5 table on SQLite, a tsvector column with a GIN
// index on PostgreSQL. Both hold one document per event and per source, written by the
// app in the same transaction as the record (src/search/indexer.ts).

const isPg = (knex: Knex) => knex.client.config.client === 'pg';

export async function up(knex: Knex): Promise<void> {
  if (isPg(knex)) {
    await knex.schema.createTable('search_documents', (t) => {
      t.string('entity_type', 10).notNullable();
      t.integer('entity_id').notNullable();
      t.text('title').notNullable();
      t.text('body').notNullable();
      t.primary(['entity_type', 'entity_id']);
    });
    await knex.raw(`alter table search_documents add column document tsvector not null default ''::tsvector`);
    await knex.raw('create index search_documents_document_idx on search_documents using gin (document)');
  } else {
    await knex.raw(
      "create virtual table search_documents using fts5(entity_type unindexed, entity_id unindexed, title, body, tokenize = 'unicode61 remove_diacritics 2')",
    );
  }
  await indexExisting(knex);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('search_documents');
}

/** Indexes the rows already there (the demo data) with the same text the app writes. */
async function indexExisting(knex: Knex): Promise<void> {
  const events = await knex('events').whereNull('deleted_at').select('id', 'title', 'summary');
  for (const e of events) {
    const quotes = await knex('citations').where({ event_id: e.id }).whereNot('quote', '').pluck('quote');
    await writeDocument(knex, 'event', e.id, e.title, [e.summary, ...quotes].join('\n'));
  }
  const sources = await knex('sources').select('id', 'title', 'publisher', 'body');
  for (const s of sources) await writeDocument(knex, 'source', s.id, s.title, [s.publisher, s.body ?? ''].join('\n'));
}

async function writeDocument(knex: Knex, type: string, id: number, title: string, body: string): Promise<void> {
  if (isPg(knex)) {
    await knex.raw(
      `insert into search_documents (entity_type, entity_id, title, body, document)
       values (?, ?, ?, ?, setweight(to_tsvector('english', ?), 'A') || setweight(to_tsvector('english', ?), 'B'))`,
      [type, id, title, body, title, body],
    );
  } else {
    await knex('search_documents').insert({ entity_type: type, entity_id: id, title, body });
  }
}
