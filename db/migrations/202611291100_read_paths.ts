import type { Knex } from 'knex';

// Indexes that let every list read only the rows it shows: each filter column leads an
// index that continues in timeline order (occurred_start, id), so a filtered page is a
// range scan instead of a walk over every event; vendors and actors page by name.
// The single-column indexes they replace are prefixes of the new ones.

const EVENT_INDEXES: Array<{ name: string; replaces: string; column: string }> = [
  { name: 'events_actor_timeline_idx', replaces: 'events_actor_idx', column: 'actor_id' },
  { name: 'events_type_timeline_idx', replaces: 'events_type_idx', column: 'type' },
  { name: 'events_jurisdiction_timeline_idx', replaces: 'events_jurisdiction_idx', column: 'jurisdiction' },
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('events', (t) => {
    for (const idx of EVENT_INDEXES) {
      t.index([idx.column, 'occurred_start', 'id'], idx.name);
      t.dropIndex([idx.column], idx.replaces);
    }
    t.index(['updated_at', 'id'], 'events_updated_id_idx');
    t.dropIndex(['updated_at'], 'events_updated_idx');
  });
  await knex.schema.alterTable('vendors', (t) => t.index(['name', 'id'], 'vendors_name_idx'));
  await knex.schema.alterTable('actors', (t) => t.index(['name', 'id'], 'actors_name_idx'));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('actors', (t) => t.dropIndex(['name', 'id'], 'actors_name_idx'));
  await knex.schema.alterTable('vendors', (t) => t.dropIndex(['name', 'id'], 'vendors_name_idx'));
  await knex.schema.alterTable('events', (t) => {
    t.index(['updated_at'], 'events_updated_idx');
    t.dropIndex(['updated_at', 'id'], 'events_updated_id_idx');
    for (const idx of EVENT_INDEXES) {
      t.index([idx.column], idx.replaces);
      t.dropIndex([idx.column, 'occurred_start', 'id'], idx.name);
    }
  });
}
