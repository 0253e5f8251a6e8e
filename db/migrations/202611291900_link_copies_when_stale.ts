import type { Knex } from 'knex';

// SQLite: a new vendor or affected-actor link is rewritten by its trigger only when the
// copies it was written with (its event's first day, and for vendors whether the event is
// live) are not its event's.
//
// The triggers of 202611291710 and 202611291800 updated every new link after its insert, so
// each link went into its table and its date index twice. The event writer now supplies the
// copies in the insert (events/writes.ts); a writer that does not (or supplies wrong ones)
// still gets them corrected, so the triggers keep the copies right whoever writes.
//
// PostgreSQL: unchanged. Its triggers run before the insert and set the row's values, so a
// link is written once already.

const isPg = (knex: Knex) => knex.client.config.client === 'pg';

const EVENT_DAY = '(select e.occurred_start from events e where e.id = new.event_id)';
const EVENT_LIVE = '(select case when e.deleted_at is null then 1 else 0 end from events e where e.id = new.event_id)';

async function createTriggers(knex: Knex, onlyWhenStale: boolean): Promise<void> {
  await knex.raw(
    `create trigger event_vendors_copy_insert after insert on event_vendors
       ${onlyWhenStale ? `when new.occurred_start is not ${EVENT_DAY} or new.live is not ${EVENT_LIVE}` : ''}
     begin
       update event_vendors set occurred_start = ${EVENT_DAY}, live = ${EVENT_LIVE}
        where event_id = new.event_id and vendor_id = new.vendor_id;
     end`,
  );
  await knex.raw(
    `create trigger event_affected_actors_date_insert after insert on event_affected_actors
       ${onlyWhenStale ? `when new.occurred_start is not ${EVENT_DAY}` : ''}
     begin
       update event_affected_actors set occurred_start = ${EVENT_DAY}
        where event_id = new.event_id and actor_id = new.actor_id;
     end`,
  );
}

async function dropTriggers(knex: Knex): Promise<void> {
  await knex.raw('drop trigger event_vendors_copy_insert');
  await knex.raw('drop trigger event_affected_actors_date_insert');
}

export async function up(knex: Knex): Promise<void> {
  if (isPg(knex)) return;
  await dropTriggers(knex);
  await createTriggers(knex, true);
}

export async function down(knex: Knex): Promise<void> {
  if (isPg(knex)) return;
  await dropTriggers(knex);
  await createTriggers(knex, false);
}
