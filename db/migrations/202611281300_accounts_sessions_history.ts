import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id').primary();
    // Stored lower-cased (after NFC), so uniqueness is case-insensitive on both databases.
    t.string('email', 254).notNullable().unique();
    t.string('display_name', 120).notNullable();
    t.string('role', 20).notNullable();
    t.string('password_hash', 300).notNullable();
    t.boolean('disabled').notNullable().defaultTo(false);
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
  });

  // The shape connect-session-knex reads and writes.
  await knex.schema.createTable('sessions', (t) => {
    t.string('sid', 255).primary();
    t.json('sess').notNullable();
    t.timestamp('expired', { useTz: true }).notNullable().index('sessions_expired_idx');
  });

  // Failed sign-ins per account and per IP address, for lockout.
  await knex.schema.createTable('login_throttle', (t) => {
    t.string('key', 300).primary();
    t.integer('failures').notNullable().defaultTo(0);
    t.string('window_started_at', 32).notNullable();
    t.string('locked_until', 32).nullable();
  });

  // One-time links that let the first visitor create the first admin.
  await knex.schema.createTable('setup_tokens', (t) => {
    t.increments('id').primary();
    t.string('token_hash', 64).notNullable().unique();
    t.string('created_at', 32).notNullable();
    t.string('used_at', 32).nullable();
  });

  // Secrets the app generates once and shares between its processes (the session signing key).
  await knex.schema.createTable('app_secrets', (t) => {
    t.string('name', 60).primary();
    t.string('value', 200).notNullable();
    t.string('created_at', 32).notNullable();
  });

  // Who changed what, when: one row per create, update, delete or restore.
  await knex.schema.createTable('revisions', (t) => {
    t.increments('id').primary();
    t.string('entity_type', 20).notNullable();
    t.integer('entity_id').notNullable();
    t.string('action', 20).notNullable();
    t.integer('version').notNullable();
    t.integer('user_id').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL');
    t.string('user_name', 120).notNullable().defaultTo('');
    t.string('at', 32).notNullable();
    // JSON: { field: [before, after] }, strings only.
    t.text('changes').notNullable();
    t.index(['entity_type', 'entity_id', 'id'], 'revisions_entity_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['revisions', 'app_secrets', 'setup_tokens', 'login_throttle', 'sessions', 'users']) {
    await knex.schema.dropTableIfExists(table);
  }
}
