import type { Knex } from 'knex';

// event_counts (202611291600_measures_in_force) on PostgreSQL: one upsert per statement and
// (jurisdiction, year, type), not one per written row.
//
// The row trigger upserted a counter for every event written, so an import of 1,000 events in
// one statement rewrote the same few counter rows 1,000 times. PostgreSQL keeps every version
// until the transaction ends, so the 500-row table of the 1M-event bench had grown to 53 MB,
// and the activity report, which reads the whole table, read 6,800 pages for 500 rows (10 ms,
// against 0.4 ms at 10k). Statement triggers with transition tables add up each statement's
// rows first. PostgreSQL does not allow transition tables with `update of <columns>`, so the
// update trigger runs for every update of events and writes only the groups whose count moved.
//
// The table is then recounted from the live events into a fresh file (truncate), which also
// drops the bloat already there. SQLite: unchanged (row triggers; freed pages are reused).

const isPg = (knex: Knex) => knex.client.config.client === 'pg';

const GROUPED = (rows: string, sign: '+' | '-') =>
  `select jurisdiction, substr(occurred_start, 1, 4) as year, type, ${sign}count(*) as n from ${rows} where deleted_at is null group by 1, 2, 3`;

const UPSERT = (deltas: string) =>
  `insert into event_counts (jurisdiction, year, type, events)
   select jurisdiction, year, type, sum(n) from (${deltas}) d group by jurisdiction, year, type having sum(n) <> 0
   on conflict (jurisdiction, year, type) do update set events = event_counts.events + excluded.events`;

export async function up(knex: Knex): Promise<void> {
  if (!isPg(knex)) return;
  await knex.raw('drop trigger if exists events_counts on events');
  await knex.raw('drop function if exists count_events()');
  await knex.raw(`
    create function count_inserted_events() returns trigger language plpgsql as $$
    begin ${UPSERT(GROUPED('new_rows', '+'))}; return null; end $$`);
  await knex.raw(`
    create function count_deleted_events() returns trigger language plpgsql as $$
    begin ${UPSERT(GROUPED('old_rows', '-'))}; return null; end $$`);
  await knex.raw(`
    create function count_updated_events() returns trigger language plpgsql as $$
    begin ${UPSERT(`${GROUPED('old_rows', '-')} union all ${GROUPED('new_rows', '+')}`)}; return null; end $$`);
  await knex.raw(
    'create trigger events_counts_insert after insert on events referencing new table as new_rows for each statement execute function count_inserted_events()',
  );
  await knex.raw(
    'create trigger events_counts_delete after delete on events referencing old table as old_rows for each statement execute function count_deleted_events()',
  );
  await knex.raw(
    'create trigger events_counts_update after update on events referencing old table as old_rows new table as new_rows for each statement execute function count_updated_events()',
  );
  await knex.raw('truncate event_counts');
  await knex.raw(
    `insert into event_counts (jurisdiction, year, type, events)
     select jurisdiction, substr(occurred_start, 1, 4), type, count(*) from events where deleted_at is null group by 1, 2, 3`,
  );
}

export async function down(knex: Knex): Promise<void> {
  if (!isPg(knex)) return;
  for (const name of ['insert', 'delete', 'update']) await knex.raw(`drop trigger if exists events_counts_${name} on events`);
  for (const name of ['inserted', 'deleted', 'updated']) await knex.raw(`drop function if exists count_${name}_events()`);
  const bump = (row: 'new' | 'old', by: 1 | -1) =>
    `insert into event_counts (jurisdiction, year, type, events) values (${row}.jurisdiction, substr(${row}.occurred_start, 1, 4), ${row}.type, ${by})
     on conflict (jurisdiction, year, type) do update set events = event_counts.events + (${by})`;
  await knex.raw(`
    create function count_events() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') and old.deleted_at is null then ${bump('old', -1)}; end if;
      if tg_op in ('UPDATE', 'INSERT') and new.deleted_at is null then ${bump('new', 1)}; end if;
      return null;
    end $$`);
  await knex.raw(
    'create trigger events_counts after insert or update of deleted_at, jurisdiction, occurred_start, type or delete on events for each row execute function count_events()',
  );
}
