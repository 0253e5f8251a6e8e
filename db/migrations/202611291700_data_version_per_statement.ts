import type { Knex } from 'knex';

// The data_version counter (202611291420_data_version) moves once per committed write, as
// before, but PostgreSQL no longer queues a trigger call per written row.
//
// PostgreSQL: the row triggers were deferred constraint triggers, so every row a transaction
// wrote queued one call for commit time: about 1.7 µs a row here (200,000 plain inserts took
// 0.37-0.56 s without them, 0.70-1.17 s with them), five or more rows per imported event.
// Now a statement trigger on each table notes, once per transaction, that something changed
// (one row in data_version_changes); a deferred constraint trigger on that row bumps the
// counter at commit, after every other lock the transaction takes, as before. A savepoint
// rolled back takes its note with it (the note and the setting that guards it are both undone).
//
// SQLite: unchanged. It has no statement triggers, and its row triggers cost about 0.2 µs of
// CPU a row (500,000 inserts into a two-column table: 0.08 s without, 0.19 s with), under 1%
// of an import's time; writes there are serialised, so a row trigger contends with nothing.

const TABLES = ['vendors', 'actors', 'sources', 'events', 'event_vendors', 'event_affected_actors', 'event_links', 'citations'];

const isPg = (knex: Knex) => knex.client.config.client === 'pg';

export async function up(knex: Knex): Promise<void> {
  if (!isPg(knex)) return;
  await knex.schema.createTable('data_version_changes', (t) => {
    t.bigInteger('txid').notNullable();
  });
  await knex.raw(`
    create function note_data_change() returns trigger language plpgsql as $$
    begin
      if current_setting('vpt.data_changed', true) is distinct from txid_current()::text then
        perform set_config('vpt.data_changed', txid_current()::text, true);
        insert into data_version_changes (txid) values (txid_current());
      end if;
      return null;
    end $$`);
  await knex.raw(`
    create function bump_data_version_at_commit() returns trigger language plpgsql as $$
    begin
      update data_version set n = n + 1 where id = 1;
      delete from data_version_changes where txid = new.txid;
      return null;
    end $$`);
  await knex.raw(
    'create constraint trigger data_version_changes_commit after insert on data_version_changes deferrable initially deferred for each row execute function bump_data_version_at_commit()',
  );
  for (const table of TABLES) {
    await knex.raw(`drop trigger if exists ${table}_data_version on ${table}`);
    await knex.raw(
      `create trigger ${table}_data_version after insert or update or delete on ${table} for each statement execute function note_data_change()`,
    );
  }
  await knex.raw('drop function if exists bump_data_version()');
}

export async function down(knex: Knex): Promise<void> {
  if (!isPg(knex)) return;
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
    await knex.raw(`drop trigger if exists ${table}_data_version on ${table}`);
    await knex.raw(
      `create constraint trigger ${table}_data_version after insert or update or delete on ${table} deferrable initially deferred for each row execute function bump_data_version()`,
    );
  }
  await knex.raw('drop trigger if exists data_version_changes_commit on data_version_changes');
  await knex.raw('drop function if exists bump_data_version_at_commit()');
  await knex.raw('drop function if exists note_data_change()');
  await knex.schema.dropTableIfExists('data_version_changes');
}
