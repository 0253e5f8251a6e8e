import type { Knex } from 'knex';

// Civil dates are ISO strings: `*_on` holds the partial date as entered
// (YYYY, YYYY-MM or YYYY-MM-DD); `*_start` holds its first day (YYYY-MM-DD),
// which sorts and filters the same way under any collation.
// Timestamps are ISO 8601 UTC strings written by the app, so both databases
// hand back the same values.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('vendors', (t) => {
    t.increments('id').primary();
    t.string('slug', 80).notNullable().unique();
    t.string('name', 200).notNullable();
    t.text('aliases').notNullable().defaultTo('');
    t.string('country', 2).nullable();
    t.string('website', 2048).nullable();
    t.text('description').notNullable().defaultTo('');
    t.integer('version').notNullable().defaultTo(1);
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
  });

  await knex.schema.createTable('actors', (t) => {
    t.increments('id').primary();
    t.string('slug', 80).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('kind', 40).notNullable();
    t.string('jurisdiction', 3).nullable();
    t.text('description').notNullable().defaultTo('');
    t.integer('version').notNullable().defaultTo(1);
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
  });

  await knex.schema.createTable('events', (t) => {
    t.increments('id').primary();
    t.string('public_id', 120).notNullable().unique();
    t.string('title', 300).notNullable();
    t.text('summary').notNullable().defaultTo('');
    t.string('type', 40).notNullable();
    t.string('jurisdiction', 3).notNullable();
    t.integer('actor_id').unsigned().nullable().references('id').inTable('actors').onDelete('RESTRICT');
    t.string('occurred_on', 10).notNullable();
    t.string('occurred_start', 10).notNullable();
    t.string('effective_on', 10).nullable();
    t.string('effective_start', 10).nullable();
    t.integer('version').notNullable().defaultTo(1);
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    // Set when an analyst deletes the event; a deleted event is hidden everywhere and can be restored.
    t.string('deleted_at', 32).nullable();
    t.index(['occurred_start', 'id'], 'events_occurred_idx');
    t.index(['type'], 'events_type_idx');
    t.index(['jurisdiction'], 'events_jurisdiction_idx');
    t.index(['actor_id'], 'events_actor_idx');
    t.index(['updated_at'], 'events_updated_idx');
  });

  await knex.schema.createTable('event_vendors', (t) => {
    t.integer('event_id').unsigned().notNullable().references('id').inTable('events').onDelete('CASCADE');
    t.integer('vendor_id').unsigned().notNullable().references('id').inTable('vendors').onDelete('RESTRICT');
    t.primary(['event_id', 'vendor_id']);
    t.index(['vendor_id', 'event_id'], 'event_vendors_vendor_idx');
  });

  await knex.schema.createTable('event_affected_actors', (t) => {
    t.integer('event_id').unsigned().notNullable().references('id').inTable('events').onDelete('CASCADE');
    t.integer('actor_id').unsigned().notNullable().references('id').inTable('actors').onDelete('RESTRICT');
    t.primary(['event_id', 'actor_id']);
    t.index(['actor_id'], 'event_affected_actor_idx');
  });

  await knex.schema.createTable('event_links', (t) => {
    t.increments('id').primary();
    t.integer('from_event_id').unsigned().notNullable().references('id').inTable('events').onDelete('CASCADE');
    t.integer('to_event_id').unsigned().notNullable().references('id').inTable('events').onDelete('CASCADE');
    t.string('relation', 20).notNullable();
    t.unique(['from_event_id', 'to_event_id', 'relation'], { indexName: 'event_links_unique' });
    t.index(['to_event_id'], 'event_links_to_idx');
  });

  await knex.schema.createTable('sources', (t) => {
    t.increments('id').primary();
    t.string('url', 2048).nullable().unique();
    t.string('title', 500).notNullable();
    t.string('publisher', 200).notNullable().defaultTo('');
    t.string('author', 200).notNullable().defaultTo('');
    t.string('published_on', 10).nullable();
    t.string('published_start', 10).nullable();
    t.string('archived_url', 2048).nullable();
    t.string('language', 12).nullable();
    t.string('reliability', 1).nullable();
    t.text('body').nullable();
    t.integer('version').notNullable().defaultTo(1);
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
  });

  await knex.schema.createTable('citations', (t) => {
    t.increments('id').primary();
    t.integer('event_id').unsigned().notNullable().references('id').inTable('events').onDelete('CASCADE');
    t.integer('source_id').unsigned().notNullable().references('id').inTable('sources').onDelete('RESTRICT');
    t.text('quote').notNullable().defaultTo('');
    t.string('locator', 200).notNullable().defaultTo('');
    t.integer('position').notNullable().defaultTo(0);
    t.unique(['event_id', 'source_id'], { indexName: 'citations_event_source_unique' });
    t.index(['source_id'], 'citations_source_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['citations', 'sources', 'event_links', 'event_affected_actors', 'event_vendors', 'events', 'actors', 'vendors']) {
    await knex.schema.dropTableIfExists(table);
  }
}
