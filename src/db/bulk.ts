import type { Knex } from 'knex';
import type { Db } from './knex';

// SQLite (3.32 and later) binds at most 32,766 parameters per statement and PostgreSQL
// 65,535; staying under the smaller keeps one code path for both.
const MAX_PARAMETERS = 30_000;
// knex writes a multi-row insert on SQLite as `select … union all select …`, which stops at
// 500 terms; a plain `values (…), (…)` list has no such limit, so it is written by hand here.
const MAX_ROWS_PER_INSERT = 2_000;

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** How many values one `where … in (…)` may list. */
export const IN_LIST_SIZE = 5_000;

/**
 * Inserts many rows in as few statements as the parameter limit allows. Every row must
 * have the same keys; `undefined` is written as NULL.
 */
export async function insertRows(conn: Db, table: string, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const perStatement = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS / columns.length)));
  const placeholders = `(${columns.map(() => '?').join(', ')})`;
  const head = `insert into ${quoteName(table)} (${columns.map(quoteName).join(', ')}) values `;
  for (const part of chunks(rows, perStatement)) {
    const bindings: unknown[] = [];
    for (const row of part) for (const c of columns) bindings.push(row[c] ?? null);
    await conn.raw(head + part.map(() => placeholders).join(', '), bindings as Knex.RawBinding[]);
  }
}

/**
 * Inserts rows and returns their ids in the order given, in as few statements as the
 * parameter limit allows. Every row must have the same keys; `undefined` is written as NULL.
 * Ids come from RETURNING, sorted: both databases hand out ascending ids within one
 * statement, whatever order RETURNING lists them in.
 */
export async function insertRowsReturningIds(conn: Db, table: string, rows: ReadonlyArray<Record<string, unknown>>): Promise<number[]> {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]);
  const perStatement = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS / columns.length)));
  const placeholders = `(${columns.map(() => '?').join(', ')})`;
  const head = `insert into ${quoteName(table)} (${columns.map(quoteName).join(', ')}) values `;
  const out: number[] = [];
  for (const part of chunks(rows, perStatement)) {
    const bindings: unknown[] = [];
    for (const row of part) for (const c of columns) bindings.push(row[c] ?? null);
    const result = await conn.raw(`${head}${part.map(() => placeholders).join(', ')} returning id`, bindings as Knex.RawBinding[]);
    const returned: Array<{ id: number | string }> = Array.isArray(result) ? result : result.rows;
    out.push(...returned.map((r) => Number(r.id)).sort((a, b) => a - b));
  }
  return out;
}

/** Runs `query` for each slice of `values` small enough for an `in (…)` list and concatenates the rows. */
export async function selectInChunks<T, V>(values: readonly V[], query: (slice: V[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (const slice of chunks(values, IN_LIST_SIZE)) out.push(...(await query(slice)));
  return out;
}

/** Deletes the rows whose `column` is in `values`, a slice at a time. */
export async function deleteIn(conn: Db, table: string, column: string, values: readonly (number | string)[]): Promise<void> {
  for (const slice of chunks(values, IN_LIST_SIZE)) await conn(table).whereIn(column, slice).del();
}

function quoteName(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a plain table or column name: ${name}`);
  return `"${name}"`;
}

/** Lets other callbacks (requests, timers, I/O) run before continuing a long loop. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
