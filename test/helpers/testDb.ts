import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knex from 'knex';
import type { Config, DatabaseConfig } from '../../src/lib/config';
import { createDb, type Db } from '../../src/db/knex';
import { migrateLatest } from '../../src/db/migrate';

export type DbKind = 'sqlite' | 'postgres';

/** Why the PostgreSQL runs are skipped, or null when they run. */
export const postgresSkipReason: string | null = process.env.TEST_DATABASE_URL
  ? null
  : 'TEST_DATABASE_URL is not set';

/** The databases a suite can run against here: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function testDatabases(): DbKind[] {
  return postgresSkipReason ? ['sqlite'] : ['sqlite', 'postgres'];
}

/**
 * One `describe` per database, `%s` in the title naming it. Without TEST_DATABASE_URL the
 * PostgreSQL block is still declared, as skipped with the reason in its title, so jest's
 * summary counts its tests as skipped instead of leaving them out.
 */
export function describeEachDatabase(title: string, fn: (kind: DbKind) => void): void {
  for (const kind of ['sqlite', 'postgres'] as const) {
    const name = title.replace('%s', kind);
    if (kind === 'postgres' && postgresSkipReason) describe.skip(`${name} (skipped: ${postgresSkipReason})`, () => fn(kind));
    else describe(name, () => fn(kind));
  }
}

export interface TestDb {
  db: Db;
  database: DatabaseConfig;
  cleanup(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: a temporary SQLite file, or a
 * PostgreSQL schema of its own so parallel jest workers never collide.
 */
export async function createTestDb(kind: DbKind, options: { migrate?: boolean } = {}): Promise<TestDb> {
  const tag = `${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  let database: DatabaseConfig;
  let dropExtra: () => Promise<void>;
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpt-test-'));
    database = { client: 'sqlite', filename: path.join(dir, 'test.sqlite') };
    dropExtra = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DATABASE_URL is not set');
    const schema = `vpt_test_${tag}`;
    const admin = knex({ client: 'pg', connection: url });
    await admin.raw('create schema ??', [schema]);
    await admin.destroy();
    database = { client: 'postgres', connectionString: url, schema };
    dropExtra = async () => {
      const a = knex({ client: 'pg', connection: url });
      await a.raw('drop schema if exists ?? cascade', [schema]);
      await a.destroy();
    };
  }
  const db = createDb(database);
  if (options.migrate !== false) await migrateLatest(db);
  return {
    db,
    database,
    async cleanup() {
      await db.destroy();
      await dropExtra();
    },
  };
}

export function testConfig(database: DatabaseConfig, overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    database,
    logLevel: 'silent',
    loadDemoData: false,
    cookieSecure: false,
    trustProxy: false,
    sessionSecret: 'test-session-secret-that-is-long-enough-1234',
    sessionIdleMinutes: 120,
    sessionMaxHours: 12,
    importMaxBytes: 20 * 1024 * 1024,
    // A tiny scrypt cost: hashes carry their own cost, so sign-ins stay real but take microseconds.
    passwordHashing: { scryptN: 16, concurrency: 2, queue: 8 },
    ...overrides,
  };
}
