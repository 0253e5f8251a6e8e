import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import type { DatabaseConfig } from '../lib/config';
import { SqliteClient, WriteLane } from './sqliteClient';

export type Db = Knex;

export interface DbOptions {
  /**
   * The longest one statement may run before it is cancelled and fails with a timeout
   * (a 503 for the request); 0 for no limit, as bulk command-line work may want.
   */
  statementTimeoutMs?: number;
  /** SQLite: how long a write waits for another writer (this process's or another's) before failing as busy. */
  busyTimeoutMs?: number;
  /** Connections in the pool: on SQLite, readers that run beside the single writer. */
  poolSize?: number;
}

export const DB_DEFAULTS = {
  // No budget unless configured: the server's config sets one (DATABASE_STATEMENT_TIMEOUT_MS,
  // 15 s by default); tests and bulk tools that build their own DatabaseConfig run unbounded.
  statementTimeoutMs: 0,
  busyTimeoutMs: 5_000,
  sqlitePoolSize: 4,
  postgresPoolSize: 10,
};

/**
 * Opens a knex instance for the configured database.
 *
 * SQLite runs in WAL mode with a pool of several connections: readers never wait for the
 * writer, and writes take turns (see sqliteClient.ts) with `BEGIN IMMEDIATE` so they wait on
 * busy_timeout instead of failing. PostgreSQL gets statement_timeout on every connection.
 */
/**
 * knex prints driver errors (a refused connection, a pool that cannot acquire) straight to
 * the console beside the error it also throws; the app reports the thrown error through
 * its own logger, so those copies are dropped. Other warnings stay visible.
 */
// knex reports a dropped or refused connection as a warning too; those are the same faults.
const DRIVER_FAULT = /^(Connection Error|Acquire connection error)/;

const knexLog = {
  error: () => {},
  debug: () => {},
  warn: (message: unknown) => {
    if (!DRIVER_FAULT.test(String(message))) process.emitWarning(String(message), 'KnexWarning');
  },
  deprecate: (method: string, alternative: string) =>
    process.emitWarning(`${method} is deprecated; use ${alternative}`, 'DeprecationWarning'),
};

/** SQLite page cache per connection, in KiB. */
const SQLITE_CACHE_KIB = 16 * 1024;
/**
 * SQLite page cache of a connection while it runs a long write (the import), in KiB. A
 * million new events go into a dozen indexes at scattered places (dates, types, vendors);
 * with 16 MB nearly every insert missed the cache and pushed a dirty page out to the WAL,
 * to read it back later. 1M new events took 257 s with 16 MB, 205 s with 128 MB and 214 s
 * with 256 MB. The cache fills only as pages are used, and shrinks back afterwards.
 */
const SQLITE_BULK_WRITE_CACHE_KIB = 128 * 1024;

/**
 * Runs `work` in `trx` with the larger page cache of a bulk write (SQLite; PostgreSQL's
 * buffers are the server's), then gives the connection back its usual cache.
 */
export async function withBulkWriteCache<T>(trx: Knex.Transaction, work: () => Promise<T>): Promise<T> {
  if (isPostgres(trx)) return work();
  await trx.raw(`PRAGMA cache_size = -${SQLITE_BULK_WRITE_CACHE_KIB}`);
  try {
    return await work();
  } finally {
    // After a failed statement the connection may refuse this too; it then goes on with the
    // larger cache until it is closed, which costs memory, not correctness.
    await trx.raw(`PRAGMA cache_size = -${SQLITE_CACHE_KIB}`).catch(() => undefined);
  }
}

/** The part of a node-postgres client the pool's afterCreate uses. */
interface PgConnection {
  query(sql: string, callback: (err: Error | null) => void): void;
}

export function createDb(config: DatabaseConfig, options: DbOptions = {}): Db {
  const statementTimeoutMs = options.statementTimeoutMs ?? config.statementTimeoutMs ?? DB_DEFAULTS.statementTimeoutMs;
  if (config.client === 'postgres') {
    return knex({
      client: 'pg',
      log: knexLog,
      connection: { connectionString: config.connectionString, statement_timeout: statementTimeoutMs },
      searchPath: config.schema ? [config.schema] : undefined,
      pool: {
        min: 0,
        max: options.poolSize ?? DB_DEFAULTS.postgresPoolSize,
        // No parallel workers for the app's queries. Its pages read bounded sets by index, many
        // requests at once; where a plan's estimate crossed the parallel threshold (the sources
        // report at a million events: 200 sources, 2,000 citing events), PostgreSQL started a
        // worker per query, and under 10 connections the page took 3.2x its 10k time, against
        // 0.95x without (the bench, three rounds each). Concurrency comes from the requests.
        afterCreate(conn: PgConnection, done: (err: Error | null, conn: unknown) => void) {
          conn.query('set max_parallel_workers_per_gather = 0', (err) => done(err, conn));
        },
      },
    });
  }
  const inMemory = config.filename === ':memory:';
  if (!inMemory) {
    fs.mkdirSync(path.dirname(path.resolve(config.filename)), { recursive: true });
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? config.busyTimeoutMs ?? DB_DEFAULTS.busyTimeoutMs;
  const sqliteConfig = {
    client: SqliteClient,
    log: knexLog,
    connection: { filename: config.filename },
    useNullAsDefault: true,
    writeLane: new WriteLane(busyTimeoutMs),
    statementTimeoutMs,
    pool: {
      min: 1,
      // Every connection to ':memory:' would be a database of its own.
      max: inMemory ? 1 : (options.poolSize ?? DB_DEFAULTS.sqlitePoolSize),
      afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
        prepareSqliteConnection(conn, busyTimeoutMs).then(
          () => done(null, conn),
          (err: Error) => done(err, conn),
        );
      },
    },
  };
  return knex(sqliteConfig as unknown as Knex.Config);
}

export interface SqliteConnection {
  run(sql: string, cb?: (err: Error | null) => void): void;
  all(sql: string, cb: (err: Error | null, rows: Array<Record<string, unknown>>) => void): void;
}

/**
 * The settings every connection starts with, each statement awaited before the next is sent.
 * node-sqlite3 runs a connection's statements side by side unless told otherwise, so pragmas
 * sent without waiting could still be running when the pool handed the connection out: the
 * first query could then run before `foreign_keys = ON`, and a `VACUUM INTO` (a backup) failed
 * with "SQL statements in progress" about one time in a few hundred.
 */
export async function prepareSqliteConnection(conn: SqliteConnection, busyTimeoutMs: number): Promise<void> {
  const run = (sql: string) => new Promise<void>((resolve, reject) => conn.run(sql, (err) => (err ? reject(err) : resolve())));
  await run(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  await run('PRAGMA foreign_keys = ON');
  // 16 MB of page cache per connection (SQLite's default is 2 MB): a page of a large
  // database touches scattered index and table pages, kept here instead of re-read from
  // the OS on every request. Bounded, so a full export grows memory by at most this much.
  await run(`PRAGMA cache_size = -${SQLITE_CACHE_KIB}`);
  await switchToWal(conn, Date.now() + busyTimeoutMs);
}

/**
 * Puts the file in WAL mode (it stays so once set). On a new file, several connections
 * (several processes starting together) ask at once; the switch needs the file to itself and
 * SQLite answers the losers SQLITE_BUSY, or the old mode, without waiting on busy_timeout, so
 * they try again until the deadline.
 */
async function switchToWal(conn: SqliteConnection, deadline: number): Promise<void> {
  for (;;) {
    const outcome = await new Promise<Error | string>((resolve) =>
      conn.all('PRAGMA journal_mode = WAL', (err, rows) => resolve(err ?? String(rows?.[0]?.journal_mode ?? ''))),
    );
    if (outcome === 'wal' || outcome === 'memory') return;
    const busy = outcome instanceof Error ? (outcome as { code?: string }).code === 'SQLITE_BUSY' : true;
    if (!busy || Date.now() >= deadline)
      throw outcome instanceof Error ? outcome : new Error(`SQLite stayed in ${outcome} journal mode; WAL is needed`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * How many rows `query` yields, counted up to `most`: the database stops reading there, so
 * "more than" costs what `most` rows cost, whatever the table holds.
 */
export async function countAtMost(db: Db, query: Knex.QueryBuilder, most: number): Promise<number> {
  const row = await db.from(query.clone().limit(most).as('counted')).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** True for a PostgreSQL connection: a knex instance, a transaction or a query builder. */
export function isPostgres(db: Pick<Db, 'client'>): boolean {
  return db.client.config.client === 'pg';
}

/** True when the database answers a trivial query. */
export async function pingDb(db: Db): Promise<boolean> {
  try {
    await db.raw('select 1');
    return true;
  } catch {
    return false;
  }
}
