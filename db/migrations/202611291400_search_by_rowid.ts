import type { Knex } from 'knex';

// On SQLite the index was a plain FTS5 table keyed by two unindexed columns, so replacing
// one document meant reading the whole index to find it (SCAN ... VIRTUAL TABLE INDEX 0).
// The text now lives in an ordinary table with a unique key per record, and the FTS5 table
// indexes it as external content: a document is found through that key, removed from the
// index by its rowid, and never looked up by a scan. Column names stay the same, so the
// search queries read `search_documents` as before. PostgreSQL already deletes through its
// primary key and keeps its tsvector table; nothing changes there.

const isPg = (knex: Knex) => knex.client.config.client === 'pg';
const TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'";

export async function up(knex: Knex): Promise<void> {
  if (isPg(knex)) return;
  await knex.raw(
    `create table search_document_content (
       id integer primary key,
       entity_type varchar(10) not null,
       entity_id integer not null,
       title text not null,
       body text not null
     )`,
  );
  await knex.raw('create unique index search_document_content_entity_idx on search_document_content (entity_type, entity_id)');
  await knex.raw('insert into search_document_content (entity_type, entity_id, title, body) select entity_type, entity_id, title, body from search_documents');
  await knex.raw('drop table search_documents');
  await knex.raw(
    `create virtual table search_documents using fts5(entity_type unindexed, entity_id unindexed, title, body,
       content = 'search_document_content', content_rowid = 'id', ${TOKENIZE})`,
  );
  await knex.raw("insert into search_documents (search_documents) values ('rebuild')");
}

export async function down(knex: Knex): Promise<void> {
  if (isPg(knex)) return;
  await knex.raw('drop table search_documents');
  await knex.raw(`create virtual table search_documents using fts5(entity_type unindexed, entity_id unindexed, title, body, ${TOKENIZE})`);
  await knex.raw('insert into search_documents (entity_type, entity_id, title, body) select entity_type, entity_id, title, body from search_document_content');
  await knex.raw('drop table search_document_content');
}
