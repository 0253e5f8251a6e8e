import type { Knex } from 'knex';

// An actor's page lists the events that affected it in date order, a page at a time. The
// link table knew only (event_id, actor_id), so a page had to read every event that ever
// affected the actor and sort them all (4,000 rows for one actor at a million events) to
// show the first 200. The link now carries its event's first day, and an index on
// (actor_id, occurred_start, event_id) hands the page over in order: the read stops after
// the rows it shows.
//
// Triggers keep the copy of the date right whatever writes the rows (forms, the import,
// the demo loader, another process): a new link takes its event's date, and a change of
// an event's date is copied to its links. The old (actor_id) index is a prefix of the new one.

const isPg = (knex: Knex) => knex.client.config.client === 'pg';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table event_affected_actors add column occurred_start varchar(10)');
  await knex.raw('create index event_affected_actor_timeline_idx on event_affected_actors (actor_id, occurred_start, event_id)');
  await knex.raw('drop index event_affected_actor_idx');
  if (isPg(knex)) {
    await knex.raw(`
      create function event_affected_actors_date() returns trigger language plpgsql as $$
      begin
        new.occurred_start := (select e.occurred_start from events e where e.id = new.event_id);
        return new;
      end $$`);
    await knex.raw(
      'create trigger event_affected_actors_date before insert or update of event_id on event_affected_actors for each row execute function event_affected_actors_date()',
    );
    await knex.raw(`
      create function events_affected_date() returns trigger language plpgsql as $$
      begin
        update event_affected_actors set occurred_start = new.occurred_start where event_id = new.id;
        return null;
      end $$`);
    await knex.raw(
      'create trigger events_affected_date after update of occurred_start on events for each row when (old.occurred_start is distinct from new.occurred_start) execute function events_affected_date()',
    );
  } else {
    for (const when of ['insert', 'update of event_id']) {
      await knex.raw(
        `create trigger event_affected_actors_date_${when.split(' ')[0]} after ${when} on event_affected_actors begin
           update event_affected_actors set occurred_start = (select e.occurred_start from events e where e.id = new.event_id)
            where event_id = new.event_id and actor_id = new.actor_id;
         end`,
      );
    }
    await knex.raw(
      `create trigger events_affected_date after update of occurred_start on events when new.occurred_start is not old.occurred_start begin
         update event_affected_actors set occurred_start = new.occurred_start where event_id = new.id;
       end`,
    );
  }
  // The existing links last. On PostgreSQL the update notes one change for the data version
  // (202611291700: a statement trigger that queues its count for the commit on
  // data_version_changes), so no event is left pending on event_affected_actors itself.
  if (isPg(knex)) {
    await knex.raw('update event_affected_actors ea set occurred_start = e.occurred_start from events e where e.id = ea.event_id');
  } else {
    await knex.raw(
      'update event_affected_actors set occurred_start = (select e.occurred_start from events e where e.id = event_affected_actors.event_id)',
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('create index event_affected_actor_idx on event_affected_actors (actor_id)');
  await knex.raw('drop index event_affected_actor_timeline_idx');
  if (isPg(knex)) {
    await knex.raw('drop trigger if exists events_affected_date on events');
    await knex.raw('drop function if exists events_affected_date()');
    await knex.raw('drop trigger if exists event_affected_actors_date on event_affected_actors');
    await knex.raw('drop function if exists event_affected_actors_date()');
  } else {
    await knex.raw('drop trigger if exists events_affected_date');
    await knex.raw('drop trigger if exists event_affected_actors_date_insert');
    await knex.raw('drop trigger if exists event_affected_actors_date_update');
  }
  await knex.raw('alter table event_affected_actors drop column occurred_start');
}
