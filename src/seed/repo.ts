import type { Knex } from 'knex';
import { selectInChunks } from '../db/bulk';
import type { Db } from '../db/knex';
import type { EventRow } from '../events/repo';
import type { EntityType } from '../history/repo';

/** The lookups the demo loader matches its records by (its writes go through each table's own write path). */

/** The stored rows of the vendors or actors with these slugs. */
export async function findRowsBySlugs<R>(db: Db, table: 'vendors' | 'actors', slugs: readonly string[]): Promise<R[]> {
  return (await selectInChunks([...slugs], (slice) => db(table).whereIn('slug', slice).select('*'))) as R[];
}

/** Who made each revision of the given records: one row per revision. */
export async function findRevisionAuthors(
  db: Db,
  entityType: EntityType,
  ids: readonly number[],
): Promise<Array<{ entity_id: number; user_id: number | null; user_name: string }>> {
  return (await selectInChunks([...ids], (slice) =>
    db('revisions').where('entity_type', entityType).whereIn('entity_id', slice).select('entity_id', 'user_id', 'user_name'),
  )) as Array<{ entity_id: number; user_id: number | null; user_name: string }>;
}

/** The stored rows (deleted ones included) of the events with these public ids. */
export async function findEventRowsByPublicIds(db: Db, publicIds: readonly string[]): Promise<EventRow[]> {
  return (await selectInChunks([...publicIds], (slice) => db('events').whereIn('public_id', slice).select('*'))) as EventRow[];
}

/** Gives a stored event a new public id, in the transaction that writes it. */
export async function setEventPublicId(trx: Knex.Transaction, id: number, publicId: string): Promise<void> {
  await trx('events').where({ id }).update({ public_id: publicId });
}

/** How many events are stored, deleted ones included. */
export async function countAllEvents(db: Db): Promise<number> {
  const row = await db('events').count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}
