import type { Knex } from 'knex';

// PostgreSQL: new vendor and affected-actor links get their copies of the event's first day
// (and, for vendors, whether it is live) from one check per INSERT statement instead of a
// PL/pgSQL call per row.
//
// The row triggers of 202611291710 and 202611291800 looked up each new link's event before
// the insert. An import of 1,000 events writes about 1,100 vendor links, and that lookup took
// 19 ms of the 92 ms their insert cost (EXPLAIN ANALYZE on a 100,000-event database). The event
// writer already supplies the right copies (events/writes.ts), so the statement trigger joins
// the inserted rows to their events by key and updates only links whose copies are wrong:
// usually none, and then no UPDATE runs, so the data version moves once per insert, not twice.
// A writer that supplies wrong copies, or none, still gets them corrected. A change of a
// link's event_id keeps the row trigger.
//
// SQLite: unchanged (its triggers already act only on stale copies; see 202611291900).

const isPg = (knex: Knex) => knex.client.config.client === 'pg';

export async function up(knex: Knex): Promise<void> {
  if (!isPg(knex)) return;
  await knex.raw(`
    create function event_vendors_copy_inserted() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from new_rows n join events e on e.id = n.event_id
                  where n.occurred_start is distinct from e.occurred_start
                     or n.live is distinct from case when e.deleted_at is null then 1 else 0 end) then
        update event_vendors ev
           set occurred_start = e.occurred_start, live = case when e.deleted_at is null then 1 else 0 end
          from new_rows n join events e on e.id = n.event_id
         where ev.event_id = n.event_id and ev.vendor_id = n.vendor_id
           and (n.occurred_start is distinct from e.occurred_start
                or n.live is distinct from case when e.deleted_at is null then 1 else 0 end);
      end if;
      return null;
    end $$`);
  await knex.raw(`
    create function event_affected_actors_date_inserted() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from new_rows n join events e on e.id = n.event_id
                  where n.occurred_start is distinct from e.occurred_start) then
        update event_affected_actors ea
           set occurred_start = e.occurred_start
          from new_rows n join events e on e.id = n.event_id
         where ea.event_id = n.event_id and ea.actor_id = n.actor_id
           and n.occurred_start is distinct from e.occurred_start;
      end if;
      return null;
    end $$`);
  await knex.raw('drop trigger event_vendors_copy on event_vendors');
  await knex.raw('create trigger event_vendors_copy before update of event_id on event_vendors for each row execute function event_vendors_copy()');
  await knex.raw(
    `create trigger event_vendors_copy_inserted after insert on event_vendors referencing new table as new_rows
       for each statement execute function event_vendors_copy_inserted()`,
  );
  await knex.raw('drop trigger event_affected_actors_date on event_affected_actors');
  await knex.raw(
    'create trigger event_affected_actors_date before update of event_id on event_affected_actors for each row execute function event_affected_actors_date()',
  );
  await knex.raw(
    `create trigger event_affected_actors_date_inserted after insert on event_affected_actors referencing new table as new_rows
       for each statement execute function event_affected_actors_date_inserted()`,
  );
}

export async function down(knex: Knex): Promise<void> {
  if (!isPg(knex)) return;
  await knex.raw('drop trigger event_vendors_copy_inserted on event_vendors');
  await knex.raw('drop function event_vendors_copy_inserted()');
  await knex.raw('drop trigger event_vendors_copy on event_vendors');
  await knex.raw(
    'create trigger event_vendors_copy before insert or update of event_id on event_vendors for each row execute function event_vendors_copy()',
  );
  await knex.raw('drop trigger event_affected_actors_date_inserted on event_affected_actors');
  await knex.raw('drop function event_affected_actors_date_inserted()');
  await knex.raw('drop trigger event_affected_actors_date on event_affected_actors');
  await knex.raw(
    'create trigger event_affected_actors_date before insert or update of event_id on event_affected_actors for each row execute function event_affected_actors_date()',
  );
}
