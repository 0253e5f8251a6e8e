import type { Knex } from 'knex';

/**
 * Optimistic concurrency: updates the row only if it still has `expectedVersion`,
 * bumping the version. Returns false when someone saved first.
 */
export async function updateIfVersion(
  trx: Knex.Transaction,
  table: string,
  id: number,
  expectedVersion: number,
  patch: Record<string, unknown>,
): Promise<boolean> {
  const count = await trx(table)
    .where({ id, version: expectedVersion })
    .update({ ...patch, version: expectedVersion + 1 });
  return Number(count) === 1;
}

/**
 * Inserts a row of a versioned table as its version 1, stamped `now`; returns its id.
 * With updateIfVersion, the one way a form writes vendors, actors and sources (events
 * go through events/writes.ts, which applies the same rule to many rows at once).
 */
export async function insertVersioned(
  trx: Knex.Transaction,
  table: string,
  columns: Record<string, unknown>,
  now: string,
): Promise<number> {
  const [row] = await trx(table)
    .insert({ ...columns, version: 1, created_at: now, updated_at: now })
    .returning('id');
  return insertedId(row);
}

/** The id of an inserted row, whichever driver answered. */
export function insertedId(row: unknown): number {
  return Number(typeof row === 'object' && row !== null ? (row as { id: number }).id : row);
}
