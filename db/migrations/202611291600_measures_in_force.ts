import type { Knex } from 'knex';
import { rebuildInForce } from '../../src/events/inForce';

// Two maintained tables, so the pages that summarise every vendor read what they show:
//
// measures_in_force: one row per vendor, measure event and stretch of days in which the
// measure is in force, [valid_from, valid_until) (valid_until null: still in force). The write
// path (src/events/writes.ts, and deleting or restoring an event) recomputes the rows of the
// vendors it touches in the same transaction; src/events/inForce.ts computes them. The map,
// its year matrix, the start page and the jurisdiction pages read it.
//
// event_counts: live events per jurisdiction, year and type, kept by triggers (like
// data_version, every writer keeps it without knowing), for the activity report and the
// jurisdiction list.

const isPg = (knex: Knex) => knex.client.config.client === 'pg';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('measures_in_force', (t) => {
    t.increments('id').primary();
    t.integer('vendor_id').unsigned().notNullable().references('id').inTable('vendors').onDelete('CASCADE');
    t.integer('event_id').unsigned().notNullable().references('id').inTable('events').onDelete('CASCADE');
    t.string('jurisdiction', 8).notNullable();
    t.string('type', 40).notNullable();
    t.string('since', 10).notNullable();
    t.string('valid_from', 10).notNullable();
    t.string('valid_until', 10).nullable();
    t.index(['vendor_id', 'valid_from'], 'measures_in_force_vendor_idx');
    t.index(['event_id'], 'measures_in_force_event_idx');
    // The map of a day: per jurisdiction and measure, the stretches begun by then, earliest first.
    t.index(['jurisdiction', 'type', 'valid_from', 'vendor_id', 'valid_until'], 'measures_in_force_map_idx');
  });

  await knex.schema.createTable('event_counts', (t) => {
    t.string('jurisdiction', 8).notNullable();
    t.string('year', 4).notNullable();
    t.string('type', 40).notNullable();
    t.integer('events').notNullable();
    t.primary(['jurisdiction', 'year', 'type']);
  });
  const bump = (row: 'new' | 'old', by: 1 | -1) =>
    `insert into event_counts (jurisdiction, year, type, events) values (${row}.jurisdiction, substr(${row}.occurred_start, 1, 4), ${row}.type, ${by})
     on conflict (jurisdiction, year, type) do update set events = event_counts.events + (${by})`;
  if (isPg(knex)) {
    await knex.raw(`
      create function count_events() returns trigger language plpgsql as $$
      begin
        if tg_op in ('UPDATE', 'DELETE') and old.deleted_at is null then ${bump('old', -1)}; end if;
        if tg_op in ('UPDATE', 'INSERT') and new.deleted_at is null then ${bump('new', 1)}; end if;
        return null;
      end $$`);
    await knex.raw('create trigger events_counts after insert or update of deleted_at, jurisdiction, occurred_start, type or delete on events for each row execute function count_events()');
  } else {
    await knex.raw(`create trigger events_counts_insert after insert on events when new.deleted_at is null begin ${bump('new', 1)}; end`);
    await knex.raw(`create trigger events_counts_delete after delete on events when old.deleted_at is null begin ${bump('old', -1)}; end`);
    await knex.raw(`create trigger events_counts_update_old after update of deleted_at, jurisdiction, occurred_start, type on events when old.deleted_at is null begin ${bump('old', -1)}; end`);
    await knex.raw(`create trigger events_counts_update_new after update of deleted_at, jurisdiction, occurred_start, type on events when new.deleted_at is null begin ${bump('new', 1)}; end`);
  }

  // Backfill both from the events already recorded.
  await knex.raw(
    `insert into event_counts (jurisdiction, year, type, events)
     select jurisdiction, substr(occurred_start, 1, 4), type, count(*) from events where deleted_at is null group by jurisdiction, substr(occurred_start, 1, 4), type`,
  );
  await rebuildInForce(knex);
}

export async function down(knex: Knex): Promise<void> {
  if (isPg(knex)) {
    await knex.raw('drop trigger if exists events_counts on events');
    await knex.raw('drop function if exists count_events()');
  } else {
    for (const name of ['insert', 'delete', 'update_old', 'update_new']) await knex.raw(`drop trigger if exists events_counts_${name}`);
  }
  await knex.schema.dropTableIfExists('event_counts');
  await knex.schema.dropTableIfExists('measures_in_force');
}
