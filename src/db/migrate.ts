import type { Knex } from 'knex';
import { migrations } from '../../db/migrations';
import { type Db, isPostgres } from './knex';

// Migrations are imported as modules rather than read from disk, so the same
// list runs under ts-jest, from compiled JavaScript, and in any working directory.
const source: Knex.MigrationSource<string> = {
  getMigrations: async () => migrations.map((m) => m.name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = migrations.find((m) => m.name === name);
    if (!found) throw new Error(`Unknown migration ${name}`);
    return found.migration;
  },
};

const migrationConfig: Knex.MigratorConfig = { migrationSource: source };

/**
 * Runs `work` in one transaction that no other process (or pool) preparing the same database
 * runs beside: PostgreSQL takes an advisory lock for the transaction, keyed by schema; on
 * SQLite the transaction itself is the lock (it begins IMMEDIATE, and waits for the other).
 *
 * knex's own migration lock does not cover its first step, creating `knex_migrations`, which
 * is why two fresh processes raced before. Everything here, that step included, runs on the
 * transaction, so whoever comes second finds the work done.
 */
export async function withPrepareLock<T>(db: Db, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    if (isPostgres(db)) await trx.raw("select pg_advisory_xact_lock(hashtext(current_schema() || ':vendor-policy-tracker:prepare'))");
    return work(trx);
  });
}

/** Brings the schema up to date; safe to call from several processes at once. */
export async function migrateLatest(db: Db): Promise<void> {
  await withPrepareLock(db, (trx) => migrateInTransaction(trx));
}

/** Runs the pending migrations on a transaction the caller holds (see withPrepareLock). */
export async function migrateInTransaction(trx: Knex.Transaction): Promise<void> {
  await trx.migrate.latest(migrationConfig);
}

export async function migrateRollbackAll(db: Db): Promise<void> {
  await db.migrate.rollback(migrationConfig, true);
}

export async function currentMigration(db: Db): Promise<string> {
  return db.migrate.currentVersion(migrationConfig);
}
