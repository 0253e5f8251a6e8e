/**
 * Template databases for the test run. Migrating and loading the demo data took most of a
 * second per test file on SQLite and a few on PostgreSQL, so jest's globalSetup does it once
 * per run (test/helpers/globalSetup.ts) and every file gets a copy: a file copy on SQLite,
 * `CREATE DATABASE ... TEMPLATE` on PostgreSQL. Being made per run, the templates always
 * follow the current migrations and demo data.
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

/** Where this run's templates are: SQLite file paths, PostgreSQL database names. */
export interface Templates {
  sqlite: Record<TemplateContents, string>;
  postgres?: Record<TemplateContents, string>;
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

/** A name no other process (or other machine's jest sharing the server) picks. */
export function uniqueTag(): string {
  return `${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
}

/** The same server and credentials, another database. */
export function postgresUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function postgresAdmin(url: string): Knex {
  return knex({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
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
  const tag = uniqueTag();
  const names = { migrated: `vpt_tpl_${tag}_migrated`, demo: `vpt_tpl_${tag}_demo` };
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
  const [sqlite, postgres] = await Promise.all([buildSqlite(), postgresUrlOrNull ? buildPostgres(postgresUrlOrNull) : undefined]);
  return { sqlite, postgres };
}

export async function dropTemplates(templates: Templates, postgresUrlOrNull: string | null): Promise<void> {
  fs.rmSync(path.dirname(templates.sqlite.migrated), { recursive: true, force: true });
  if (!templates.postgres || !postgresUrlOrNull) return;
  const admin = postgresAdmin(postgresUrlOrNull);
  try {
    for (const name of [templates.postgres.demo, templates.postgres.migrated]) await admin.raw('drop database if exists ?? with (force)', [name]);
  } finally {
    await admin.destroy();
  }
}
