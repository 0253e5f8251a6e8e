import type { Knex } from 'knex';

// The vendor list shows, for each vendor of a page, how many live events concern it and the
// first and last day among them. The link table knew only (event_id, vendor_id), so each count
// looked every linked event up in `events` for its date and its deletion: 10,000 lookups for a
// page of 100 vendors, cheap while `events` is small and cached, ten times dearer at a million
// events on PostgreSQL. The link now carries its event's first day and whether the event is live
// (1) or in the trash (0), and an index on (vendor_id, live, occurred_start) answers the count
// and both ends of the span from the index alone.
//
// As for event_affected_actors (202611291710), triggers keep the copies right whoever writes:
// a new link takes its event's values, and a change of an event's date or deletion is copied
// to its links.

const isPg = (knex: Knex) => knex.client.config.client === 'pg';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table event_vendors add column occurred_start varchar(10)');
  await knex.raw('alter table event_vendors add column live smallint');
  await knex.raw('create index event_vendors_live_dates_idx on event_vendors (vendor_id, live, occurred_start)');
  if (isPg(knex)) {
    await knex.raw(`
      create function event_vendors_copy() returns trigger language plpgsql as $$
      begin
        select e.occurred_start, case when e.deleted_at is null then 1 else 0 end
          into new.occurred_start, new.live from events e where e.id = new.event_id;
        return new;
      end $$`);
    await knex.raw(
      'create trigger event_vendors_copy before insert or update of event_id on event_vendors for each row execute function event_vendors_copy()',
    );
    await knex.raw(`
      create function events_vendor_copy() returns trigger language plpgsql as $$
      begin
        update event_vendors
           set occurred_start = new.occurred_start, live = case when new.deleted_at is null then 1 else 0 end
         where event_id = new.id;
        return null;
      end $$`);
    await knex.raw(
      `create trigger events_vendor_copy after update of occurred_start, deleted_at on events for each row
         when (old.occurred_start is distinct from new.occurred_start or (old.deleted_at is null) <> (new.deleted_at is null))
         execute function events_vendor_copy()`,
    );
  } else {
    for (const when of ['insert', 'update of event_id']) {
      await knex.raw(
        `create trigger event_vendors_copy_${when.split(' ')[0]} after ${when} on event_vendors begin
           update event_vendors
              set occurred_start = (select e.occurred_start from events e where e.id = new.event_id),
                  live = (select case when e.deleted_at is null then 1 else 0 end from events e where e.id = new.event_id)
            where event_id = new.event_id and vendor_id = new.vendor_id;
         end`,
      );
    }
    await knex.raw(
      `create trigger events_vendor_copy after update of occurred_start, deleted_at on events
         when new.occurred_start is not old.occurred_start or (old.deleted_at is null) <> (new.deleted_at is null) begin
         update event_vendors
            set occurred_start = new.occurred_start, live = case when new.deleted_at is null then 1 else 0 end
          where event_id = new.id;
       end`,
    );
  }
  // The existing links last (on PostgreSQL one change for the data version, as in 202611291710).
  if (isPg(knex)) {
    await knex.raw(
      `update event_vendors ev set occurred_start = e.occurred_start, live = case when e.deleted_at is null then 1 else 0 end
         from events e where e.id = ev.event_id`,
    );
  } else {
    await knex.raw(
      `update event_vendors
          set occurred_start = (select e.occurred_start from events e where e.id = event_vendors.event_id),
              live = (select case when e.deleted_at is null then 1 else 0 end from events e where e.id = event_vendors.event_id)`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index event_vendors_live_dates_idx');
  if (isPg(knex)) {
    await knex.raw('drop trigger if exists events_vendor_copy on events');
    await knex.raw('drop function if exists events_vendor_copy()');
    await knex.raw('drop trigger if exists event_vendors_copy on event_vendors');
    await knex.raw('drop function if exists event_vendors_copy()');
  } else {
    await knex.raw('drop trigger if exists events_vendor_copy');
    await knex.raw('drop trigger if exists event_vendors_copy_insert');
    await knex.raw('drop trigger if exists event_vendors_copy_update');
  }
  await knex.raw('alter table event_vendors drop column live');
  await knex.raw('alter table event_vendors drop column occurred_start');
}
