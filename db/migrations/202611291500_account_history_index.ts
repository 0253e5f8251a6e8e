import type { Knex } from 'knex';

// The admins' account history lists one entity type's revisions newest first, a page at a
// time: with this index that is a walk down the index, not a sort of every account change.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('revisions', (t) => {
    t.index(['entity_type', 'id'], 'revisions_type_id_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('revisions', (t) => {
    t.dropIndex(['entity_type', 'id'], 'revisions_type_id_idx');
  });
}
