import type { Knex } from 'knex';

// A counter that moves whenever anything a public page shows changes, so a page rendered
// for anonymous readers can be served again until the data behind it changes
// (src/http/pageCache.ts). Triggers keep it: every writer (forms, import, demo loader,
// another process) moves it without knowing about it.
//
// SQLite: row triggers; writes are serialised by the database, so one row is no contention.
// PostgreSQL: deferred constraint triggers bump it once per transaction at commit, after
// every other lock the transaction takes, so two writers never wait on each other in a cycle.

const TABLES = ['vendors', 'actors', 'sources', 'events', 'event_vendors', 'event_affected_actors', 'event_links', 'citations'];
const OPS = ['insert', 'update', 'delete'] as const;

const isPg = (knex: Knex) => knex.client.config.client === 'pg';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('data_version', (t) => {
    t.integer('id').primary();
    t.bigInteger('n').notNullable();
  });
  await knex('data_version').insert({ id: 1, n: 0 });
  if (isPg(knex)) {
    await knex.raw(`
      create function bump_data_version() returns trigger language plpgsql as $$
      begin
        if current_setting('vpt.data_version_bumped', true) is distinct from txid_current()::text then
          update data_version set n = n + 1 where id = 1;
          perform set_config('vpt.data_version_bumped', txid_current()::text, true);
        end if;
        return null;
      end $$`);
    for (const table of TABLES) {
      await knex.raw(
        `create constraint trigger ${table}_data_version after insert or update or delete on ${table} deferrable initially deferred for each row execute function bump_data_version()`,
      );
    }
  } else {
    for (const table of TABLES) {
      for (const op of OPS) {
        await knex.raw(`create trigger ${table}_data_version_${op} after ${op} on ${table} begin update data_version set n = n + 1 where id = 1; end`);
      }
    }
  }
}

export async function down(knex: Knex): Promise<void> {
  if (isPg(knex)) {
    for (const table of TABLES) await knex.raw(`drop trigger if exists ${table}_data_version on ${table}`);
    await knex.raw('drop function if exists bump_data_version()');
  } else {
    for (const table of TABLES) for (const op of OPS) await knex.raw(`drop trigger if exists ${table}_data_version_${op}`);
  }
  await knex.schema.dropTableIfExists('data_version');
}
