/* eslint-disable @typescript-eslint/no-require-imports */
import type { Knex } from 'knex';
import { StatementTimeout, WriteLaneBusy } from './errors';

/**
 * knex's sqlite3 client, changed in three ways so that several connections (and several
 * processes) can share one database file in WAL mode:
 *
 * 1. Transactions begin with `BEGIN IMMEDIATE`. knex sends a plain `BEGIN`, which is
 *    deferred: the transaction reads first and asks for the write lock at its first write.
 *    If another connection committed in between, SQLite cannot upgrade the stale snapshot
 *    and answers SQLITE_BUSY at once, without waiting on busy_timeout. IMMEDIATE takes
 *    the write lock up front, where waiting on busy_timeout is safe.
 *
 * 2. Writes in this process take turns in a queue (the write lane) before they ask SQLite
 *    for the lock, so at most one connection per process ever waits in SQLite's busy
 *    handler. That handler sleeps on a libuv pool thread; several writers sleeping at once
 *    would fill the pool and stall the readers too. Reads never enter the lane.
 *
 * 3. A statement running past its budget is interrupted (sqlite3_interrupt), which makes
 *    it fail with SQLITE_INTERRUPT (rolling back a write transaction it belongs to) and
 *    frees the connection; the caller sees a StatementTimeout.
 */

const Client_SQLite3 = require('knex/lib/dialects/sqlite3') as new (config: Knex.Config) => SqliteClientBase;
const Transaction_Sqlite = require('knex/lib/dialects/sqlite3/execution/sqlite-transaction') as new (...args: unknown[]) => TransactionBase;

interface SqliteConnection {
  interrupt(): void;
}

interface QueryObject {
  sql?: string;
  method?: string;
}

interface SqliteClientBase {
  config: Knex.Config & { writeLane?: WriteLane; statementTimeoutMs?: number };
  transacting?: boolean;
  _query(connection: SqliteConnection, obj: QueryObject): Promise<unknown>;
  transaction(...args: unknown[]): unknown;
  runner(builder: unknown): RunnerBase;
}

interface TransactionBase {
  client: SqliteClientBase;
  readOnly?: boolean;
  query(conn: unknown, sql: string): Promise<unknown>;
  acquireConnection(config: { connection?: unknown } | undefined, cb: (conn: unknown) => Promise<unknown>): Promise<unknown>;
}

interface RunnerBase {
  client: SqliteClientBase;
  builder: { _method?: string; sql?: string; _connection?: unknown; _sequence?: unknown };
  ensureConnection(cb: unknown, params?: unknown): Promise<unknown>;
}

/** A first-come queue with one place, and a limit on how long a caller waits for it. */
export class WriteLane {
  private held = false;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly timeoutMs: number) {}

  /** Resolves to the function that gives the lane back; rejects with WriteLaneBusy after the timeout. */
  enter(): Promise<() => void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        if (timer) clearTimeout(timer);
        resolve(this.releaser());
      };
      const timer =
        this.timeoutMs > 0
          ? setTimeout(() => {
              const at = this.waiting.indexOf(grant);
              if (at >= 0) this.waiting.splice(at, 1);
              reject(new WriteLaneBusy(this.timeoutMs));
            }, this.timeoutMs)
          : undefined;
      this.waiting.push(grant);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.held = false;
    };
  }
}

const WRITE_METHODS = new Set(['insert', 'update', 'del', 'delete', 'upsert', 'truncate', 'counter']);
// `VACUUM INTO` (a backup) only reads the database, so it need not wait for writers.
const WRITE_SQL = /^\s*(insert|update|delete|replace|create|drop|alter|vacuum(?!\s+into)|reindex|pragma\s+\w+\s*=)/i;

/** True when running `builder` outside a transaction would write. Schema builders always do. */
function writesOutsideTransaction(builder: RunnerBase['builder']): boolean {
  if (builder._sequence !== undefined) return true;
  if (typeof builder._method === 'string') return WRITE_METHODS.has(builder._method);
  return typeof builder.sql === 'string' && WRITE_SQL.test(builder.sql);
}

class ImmediateTransaction extends Transaction_Sqlite {
  begin(conn: unknown): Promise<unknown> {
    // A transaction declared read-only never writes, so it need not queue for the lock.
    return this.query(conn, this.readOnly ? 'BEGIN;' : 'BEGIN IMMEDIATE;');
  }

  async acquireConnection(config: { connection?: unknown } | undefined, cb: (conn: unknown) => Promise<unknown>): Promise<unknown> {
    // Savepoints inside a transaction, and transactions on a given connection, are already in the lane.
    const lane = this.client.config.writeLane;
    if (!lane || this.readOnly || this.client.transacting || config?.connection) return super.acquireConnection(config, cb);
    const leave = await lane.enter();
    try {
      return await super.acquireConnection(config, cb);
    } finally {
      leave();
    }
  }
}

export class SqliteClient extends Client_SQLite3 {
  transaction(...args: unknown[]): unknown {
    return new ImmediateTransaction(this, ...args);
  }

  runner(builder: unknown): RunnerBase {
    const runner = super.runner(builder);
    const lane = this.config.writeLane;
    if (!lane || this.transacting || runner.builder._connection || !writesOutsideTransaction(runner.builder)) return runner;
    const ensureConnection = runner.ensureConnection.bind(runner);
    runner.ensureConnection = async (cb, params) => {
      const leave = await lane.enter();
      try {
        return await ensureConnection(cb, params);
      } finally {
        leave();
      }
    };
    return runner;
  }

  async _query(connection: SqliteConnection, obj: QueryObject): Promise<unknown> {
    const budget = this.config.statementTimeoutMs ?? 0;
    if (!(budget > 0)) return super._query(connection, obj);
    let timedOut = false;
    let repeat: NodeJS.Timeout | undefined;
    // sqlite3_interrupt stops only a statement that is running: on a busy machine the budget can
    // run out while the statement still waits for a worker thread, and a single interrupt then
    // does nothing. So it is repeated until the statement ends.
    const timer = setTimeout(() => {
      timedOut = true;
      connection.interrupt();
      repeat = setInterval(() => connection.interrupt(), 50);
    }, budget);
    try {
      return await super._query(connection, obj);
    } catch (err) {
      if (timedOut && (err as { code?: string }).code === 'SQLITE_INTERRUPT') throw new StatementTimeout(budget, obj.sql ?? '');
      throw err;
    } finally {
      clearTimeout(timer);
      clearInterval(repeat);
    }
  }
}
