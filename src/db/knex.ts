import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import type { DatabaseConfig } from '../config';

export type Db = Knex;

const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** Opens a knex instance for the configured database, with SQLite's pragmas set on every connection. */
export function createDb(config: DatabaseConfig): Db {
  if (config.client === 'postgres') {
    return knex({
      client: 'pg',
      connection: config.connectionString,
      searchPath: config.schema ? [config.schema] : undefined,
      pool: { min: 0, max: 10 },
    });
  }
  if (config.filename !== ':memory:') {
    fs.mkdirSync(path.dirname(path.resolve(config.filename)), { recursive: true });
  }
  return knex({
    client: 'sqlite3',
    connection: { filename: config.filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
        conn.serialize(() => {
          conn.run('PRAGMA foreign_keys = ON');
          conn.run('PRAGMA journal_mode = WAL');
          conn.run(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`, (err) => done(err, conn));
        });
      },
    },
  });
}

interface SqliteConnection {
  serialize(cb: () => void): void;
  run(sql: string, cb?: (err: Error | null) => void): void;
}

export function isPostgres(db: Db): boolean {
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
