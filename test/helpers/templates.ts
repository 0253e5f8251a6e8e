/**
 * Template databases for the test run. Migrating and loading the demo data took most of a
 * second per test file on SQLite and a few on PostgreSQL, so jest's globalSetup does it once
 * per run (test/helpers/globalSetup.ts) and every file gets a copy: a file copy on SQLite,
 * `CREATE DATABASE ... TEMPLATE` on PostgreSQL. Being made per run, the templates always
 * follow the current migrations and demo data.
 *
 * PostgreSQL copies are dropped together when the run ends (globalTeardown), not one by one:
 * each DROP DATABASE waits for a checkpoint, seconds on a busy disk, and drops made at the
 * same time share one.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { createDb, type Db } from '../../src/db/knex';
import { migrateLatest } from '../../src/db/migrate';
import { loadDemoData } from '../../src/seed/loadDemoData';

/** What a template holds: the schema only, or the schema and the demo data. */
export type TemplateContents = 'migrated' | 'demo';

/** This run's templates: SQLite file paths; PostgreSQL database names and the prefix of the run's copies. */
export interface Templates {
  sqlite: Record<TemplateContents, string>;
  postgres?: Record<TemplateContents, string> & { copies: string };
}

// globalSetup runs before jest starts its workers, so they inherit this variable.
const ENV = 'VPT_TEST_TEMPLATES';

export function templatesOfRun(): Templates | null {
  const value = process.env[ENV];
  return value ? (JSON.parse(value) as Templates) : null;
}

export function announceTemplates(templates: Templates | null): void {
  if (templates) process.env[ENV] = JSON.stringify(templates);
  else delete process.env[ENV];
}

/** A name no other process picks. */
export function uniqueTag(): string {
  return `${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
}

// PostgreSQL database names carry this machine's tag and the jest process id, so a later run
// can tell which leftovers (from a run that was killed) are its own machine's and dead.
const HOST = crypto.createHash('sha256').update(os.hostname()).digest('hex').slice(0, 6);
const LEFTOVER = new RegExp(`^vpt_(?:tpl|t)_${HOST}_(\\d+)_`);

/** The same server and credentials, another database. */
export function postgresUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function postgresAdmin(url: string): Knex {
  return knex({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
}

/** A new database copied from one of this run's PostgreSQL templates; dropped when the run ends. */
export async function copyPostgres(
  url: string,
  templates: NonNullable<Templates['postgres']>,
  contents: TemplateContents,
): Promise<string> {
  const name = `${templates.copies}${crypto.randomBytes(4).toString('hex')}`;
  const admin = postgresAdmin(url);
  try {
    await admin.raw('create database ?? template ??', [name, templates[contents]]);
  } finally {
    await admin.destroy();
  }
  return name;
}

/** Leaves a SQLite file whole on its own (no -wal beside it), so a plain file copy is the database. */
async function closeSqlite(db: Db): Promise<void> {
  await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
  await db.destroy();
}

/** Copies a closed SQLite database (and its -wal, should one be left) to `target`. */
export function copySqlite(template: string, target: string): void {
  fs.copyFileSync(template, target);
  if (fs.existsSync(`${template}-wal`)) fs.copyFileSync(`${template}-wal`, `${target}-wal`);
}

async function buildSqlite(): Promise<Templates['sqlite']> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpt-template-'));
  const migrated = path.join(dir, 'migrated.sqlite');
  const demo = path.join(dir, 'demo.sqlite');
  let db = createDb({ client: 'sqlite', filename: migrated });
  await migrateLatest(db);
  await closeSqlite(db);
  copySqlite(migrated, demo);
  db = createDb({ client: 'sqlite', filename: demo });
  await loadDemoData(db);
  await closeSqlite(db);
  return { migrated, demo };
}

async function buildPostgres(url: string): Promise<NonNullable<Templates['postgres']>> {
  const run = `${HOST}_${uniqueTag()}`;
  const names = { migrated: `vpt_tpl_${run}_migrated`, demo: `vpt_tpl_${run}_demo`, copies: `vpt_t_${run}_` };
  const admin = postgresAdmin(url);
  try {
    await admin.raw('create database ??', [names.migrated]);
    let db = createDb({ client: 'postgres', connectionString: postgresUrl(url, names.migrated) });
    await migrateLatest(db);
    // A template must have no one connected while it is copied.
    await db.destroy();
    await admin.raw('create database ?? template ??', [names.demo, names.migrated]);
    db = createDb({ client: 'postgres', connectionString: postgresUrl(url, names.demo) });
    await loadDemoData(db);
    await db.destroy();
  } finally {
    await admin.destroy();
  }
  return names;
}

export async function buildTemplates(postgresUrlOrNull: string | null): Promise<Templates> {
  const [sqlite, postgres] = await Promise.all([
    buildSqlite(),
    postgresUrlOrNull
      ? dropLeftovers(postgresUrlOrNull)
          .then(() => buildPostgres(postgresUrlOrNull))
          .catch(withoutCreatedb)
      : undefined,
  ]);
  return { sqlite, postgres };
}

/**
 * A role without CREATEDB cannot have templates: each file then migrates and loads the demo
 * data into a schema of its own, as before (slower, same tests).
 */
function withoutCreatedb(err: unknown): undefined {
  if ((err as { code?: string }).code !== '42501') throw err;
  process.stderr.write('TEST_DATABASE_URL: the role may not create databases; each PostgreSQL test file migrates its own schema.\n');
  return undefined;
}

/** Drops databases at once, a few connections side by side (one checkpoint serves drops that wait together). */
async function dropDatabases(url: string, names: string[]): Promise<void> {
  const admins = Array.from({ length: Math.min(8, names.length) }, () => postgresAdmin(url));
  const queue = [...names];
  try {
    // FORCE: a pool or child process a test left open must not keep its database alive.
    await Promise.all(
      admins.map(async (admin) => {
        for (let name = queue.shift(); name; name = queue.shift()) await admin.raw('drop database if exists ?? with (force)', [name]);
      }),
    );
  } finally {
    await Promise.all(admins.map((a) => a.destroy()));
  }
}

async function databasesNamed(url: string, pattern: string): Promise<string[]> {
  const admin = postgresAdmin(url);
  try {
    const { rows } = await admin.raw<{ rows: Array<{ datname: string }> }>('select datname from pg_database where datname like ?', [
      pattern,
    ]);
    return rows.map((r) => r.datname);
  } finally {
    await admin.destroy();
  }
}

/** Databases an earlier run on this machine left when it was killed before its teardown. */
async function dropLeftovers(url: string): Promise<void> {
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  };
  const names = (await databasesNamed(url, `vpt\\_%\\_${HOST}\\_%`)).filter((name) => {
    const pid = LEFTOVER.exec(name)?.[1];
    return pid !== undefined && !alive(Number(pid));
  });
  if (names.length) await dropDatabases(url, names);
}

export async function dropTemplates(templates: Templates, postgresUrlOrNull: string | null): Promise<void> {
  fs.rmSync(path.dirname(templates.sqlite.migrated), { recursive: true, force: true });
  if (!templates.postgres || !postgresUrlOrNull) return;
  const copies = await databasesNamed(postgresUrlOrNull, `${templates.postgres.copies.replace(/_/g, '\\_')}%`);
  await dropDatabases(postgresUrlOrNull, [...copies, templates.postgres.demo, templates.postgres.migrated]);
}
