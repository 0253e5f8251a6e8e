import type { Knex } from 'knex';

// An uploaded import is confirmed by moving it from `pending` to `applied` with a
// conditional update inside the import's own transaction: of several confirmations sent
// at once exactly one finds it pending, and the others are told it was already applied.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('import_batches', (t) => {
    t.string('status', 10).notNullable().defaultTo('pending');
    t.string('applied_at', 32).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('import_batches', (t) => {
    t.dropColumn('applied_at');
    t.dropColumn('status');
  });
}
