import type { Knex } from 'knex';
import { type Db, isPostgres } from './knex';

// Rows per insert statement. Rows travel as one JSON parameter (below), so no parameter
// limit applies; the cap keeps each statement's JSON text to a few hundred kilobytes.
const MAX_ROWS_PER_INSERT = 2_000;

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Up to this many values, `whereInValues` binds them one by one on SQLite too. */
const SHORT_IN_LIST = 16;

/** How many values one `where … in (…)` may list. */
export const IN_LIST_SIZE = 5_000;

/**
 * `select` of the given columns from rows sent as one JSON parameter, and that parameter.
 *
 * A `values (?, ?, …), …` list binds every cell on its own: a thousand events are 14,000
 * parameters, each converted by knex and by the driver, and on PostgreSQL a statement of that
 * size is parsed and planned anew each time. One JSON text is made by V8's JSON.stringify and
 * read by the database's own JSON functions: on SQLite `json_each` over an array of arrays,
 * whose cells keep their JSON type (text, integer, real, null) before the column's affinity
 * applies as it would to a bound value; on PostgreSQL `json_populate_recordset` with the
 * table's row type, so each cell is read by its column's type. Cells must be strings, numbers,
 * booleans (written as 1 and 0) or null (`undefined` is written as NULL); Date objects and
 * buffers are refused.
 */
export function jsonRowsSelect(
  conn: Db,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<Record<string, unknown>>,
): { select: string; binding: string } {
  if (isPostgres(conn)) {
    const objects = rows.map((row) => {
      const o: Record<string, unknown> = {};
      for (const c of columns) o[c] = jsonCell(row[c]);
      return o;
    });
    return {
      select: `select ${columns.map(quoteName).join(', ')} from json_populate_recordset(null::${quoteName(table)}, ?::json)`,
      binding: JSON.stringify(objects),
    };
  }
  const arrays = rows.map((row) => columns.map((c) => jsonCell(row[c])));
  return {
    select: `select ${columns.map((c, i) => `value ->> ${i} as ${quoteName(c)}`).join(', ')} from json_each(?)`,
    binding: JSON.stringify(arrays),
  };
}

/** String.prototype.toWellFormed: in Node 20, not yet in TypeScript's ES2023 library. */
type WellFormable = string & { toWellFormed(): string };

function jsonCell(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  const type = typeof value;
  // A lone UTF-16 surrogate (JSON would escape it, and PostgreSQL refuses the escape) becomes
  // U+FFFD, as the drivers write it when they bind a string.
  if (type === 'string') return (value as WellFormable).toWellFormed();
  if (type === 'number') return value;
  // As the sqlite3 driver binds them; PostgreSQL reads 1 and 0 into boolean columns too.
  if (type === 'boolean') return value ? 1 : 0;
  throw new TypeError(`A bulk insert takes strings, numbers, booleans and null, not ${Object.prototype.toString.call(value)}`);
}

/**
 * The statements of a multi-row insert, `tail` appended to each: a few whatever the row count.
 * Every row must have the same keys; `undefined` is written as NULL.
 */
function* insertStatements(
  conn: Db,
  table: string,
  rows: ReadonlyArray<Record<string, unknown>>,
  tail = '',
): Generator<{ sql: string; binding: string }> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const head = `insert into ${quoteName(table)} (${columns.map(quoteName).join(', ')}) `;
  for (const part of chunks(rows, MAX_ROWS_PER_INSERT)) {
    const { select, binding } = jsonRowsSelect(conn, table, columns, part);
    yield { sql: head + select + tail, binding };
  }
}

/** Inserts many rows in a few statements (see insertStatements). */
export async function insertRows(conn: Db, table: string, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  for (const { sql, binding } of insertStatements(conn, table, rows)) await conn.raw(sql, [binding]);
}

/**
 * Inserts rows and returns their ids in the order given, in a few statements. Ids come from
 * RETURNING, sorted: both databases hand out ascending ids within one statement in the order
 * the rows are selected, whatever order RETURNING lists them in.
 */
export async function insertRowsReturningIds(conn: Db, table: string, rows: ReadonlyArray<Record<string, unknown>>): Promise<number[]> {
  const out: number[] = [];
  for (const { sql, binding } of insertStatements(conn, table, rows, ' returning id')) {
    const result = await conn.raw(sql, [binding]);
    const returned: Array<{ id: number | string }> = Array.isArray(result) ? result : result.rows;
    out.push(...returned.map((r) => Number(r.id)).sort((a, b) => a - b));
  }
  return out;
}

/**
 * Adds `column in (values)` to `query`. On SQLite the values travel as one JSON parameter read
 * by `json_each`, which the planner probes the column's index with as it would a list:
 * node-sqlite3 converts and binds every parameter on the event loop's thread, one by one, and
 * an import's lookups of a thousand ids each spent about 2 s of a 200,000-row update there.
 * PostgreSQL keeps a plain `in (…)`, and so does a short list on SQLite: for a few values,
 * opening `json_each` costs more than binding them (a search with one hit took 1.12-1.20 times
 * the CPU through it). Strings are made well-formed as the drivers bind them.
 */
export function whereInValues<Q extends Knex.QueryBuilder>(query: Q, column: string, values: ReadonlyArray<string | number>): Q {
  if (isPostgres(query) || values.length <= SHORT_IN_LIST) return query.whereIn(column, values as Array<string | number>) as Q;
  return query.whereRaw('?? in (select value from json_each(?))', [column, JSON.stringify(values.map(jsonCell))]) as Q;
}

/** Runs `query` for each slice of `values` small enough for an `in (…)` list and concatenates the rows. */
export async function selectInChunks<T, V>(values: readonly V[], query: (slice: V[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (const slice of chunks(values, IN_LIST_SIZE)) out.push(...(await query(slice)));
  return out;
}

/** Deletes the rows whose `column` is in `values`, a slice at a time. */
export async function deleteIn(conn: Db, table: string, column: string, values: readonly (number | string)[]): Promise<void> {
  for (const slice of chunks(values, IN_LIST_SIZE)) await whereInValues(conn(table), column, slice).del();
}

export function quoteName(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a plain table or column name: ${name}`);
  return `"${name}"`;
}

/** Lets other callbacks (requests, timers, I/O) run before continuing a long loop. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
