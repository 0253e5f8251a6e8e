import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Config, DatabaseConfig } from '../../src/lib/config';
import { createDb, type Db } from '../../src/db/knex';
import { migrateLatest } from '../../src/db/migrate';
import { loadDemoData } from '../../src/seed/loadDemoData';
import { copyPostgres, copySqlite, postgresAdmin, postgresUrl, type TemplateContents, templatesOfRun, uniqueTag } from './templates';

export type DbKind = 'sqlite' | 'postgres';

/** Why the PostgreSQL runs are skipped, or null when they run. */
export const postgresSkipReason: string | null = process.env.TEST_DATABASE_URL ? null : 'TEST_DATABASE_URL is not set';

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

/** What a test database starts with. */
export type TestDbContents = 'empty' | TemplateContents;

/**
 * A fresh database for one test file, migrated unless asked not to: a temporary SQLite
 * file, or a PostgreSQL database (a schema, when empty) of its own so parallel jest
 * workers never collide.
 */
export async function createTestDb(kind: DbKind, options: { migrate?: boolean } = {}): Promise<TestDb> {
  return openTestDb(kind, options.migrate === false ? 'empty' : 'migrated');
}

/**
 * A fresh database holding `contents`: a copy of this run's template when jest's globalSetup
 * made one, else built here (a run without the globalSetup, such as a one-off config).
 */
export async function openTestDb(kind: DbKind, contents: TestDbContents): Promise<TestDb> {
  const templates = contents === 'empty' ? null : templatesOfRun();
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpt-test-'));
    const database: DatabaseConfig = { client: 'sqlite', filename: path.join(dir, 'test.sqlite') };
    if (templates && contents !== 'empty') copySqlite(templates.sqlite[contents], database.filename);
    return prepared(database, templates ? 'empty' : contents, async () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  if (templates?.postgres && contents !== 'empty') {
    // Dropped with the run's other copies when the run ends (see templates.ts).
    const name = await copyPostgres(url, templates.postgres, contents);
    return prepared({ client: 'postgres', connectionString: postgresUrl(url, name) }, 'empty', async () => undefined);
  }
  const schema = `vpt_test_${uniqueTag()}`;
  await onPostgres(url, (admin) => admin.raw('create schema ??', [schema]));
  return prepared({ client: 'postgres', connectionString: url, schema }, contents, () =>
    onPostgres(url, (admin) => admin.raw('drop schema if exists ?? cascade', [schema])),
  );
}

/** Opens the database and brings it to `missing` (what the copy, if any, did not already hold). */
async function prepared(database: DatabaseConfig, missing: TestDbContents, dropExtra: () => Promise<void>): Promise<TestDb> {
  const db = createDb(database);
  if (missing !== 'empty') await migrateLatest(db);
  if (missing === 'demo') await loadDemoData(db);
  return {
    db,
    database,
    async cleanup() {
      await db.destroy();
      await dropExtra();
    },
  };
}

async function onPostgres(url: string, work: (admin: Knex) => Promise<unknown>): Promise<void> {
  const admin = postgresAdmin(url);
  try {
    await work(admin);
  } finally {
    await admin.destroy();
  }
}

/** A tiny scrypt cost: hashes carry their own cost, so sign-ins stay real but take microseconds. */
export const TEST_SCRYPT_N = 16;

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
    passwordHashing: { scryptN: TEST_SCRYPT_N, concurrency: 2, queue: 8 },
    ...overrides,
  };
}
