import type { Knex } from 'knex';
import { insertRowsReturningIds } from './bulk';

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
 * With updateIfVersion, the one way a form writes vendors and actors (sources go through
 * sources/repo.ts and events through events/writes.ts, which apply the same rule to many rows at once).
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

/**
 * Inserts rows of a versioned table, each as its version 1 stamped `now`, in a few statements;
 * returns their ids in the order given. The many-row form of insertVersioned (the demo loader,
 * sources made from citations). Every row must have the same keys.
 */
export async function insertVersionedRows(
  trx: Knex.Transaction,
  table: string,
  rows: ReadonlyArray<Record<string, unknown>>,
  now: string,
): Promise<number[]> {
  return insertRowsReturningIds(
    trx,
    table,
    rows.map((columns) => ({ ...columns, version: 1, created_at: now, updated_at: now })),
  );
}

/** The id of an inserted row, whichever driver answered. */
export function insertedId(row: unknown): number {
  return Number(typeof row === 'object' && row !== null ? (row as { id: number }).id : row);
}
