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

/** The id of an inserted row, whichever driver answered. */
export function insertedId(row: unknown): number {
  return Number(typeof row === 'object' && row !== null ? (row as { id: number }).id : row);
}
