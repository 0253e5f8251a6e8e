import type { Knex } from 'knex';
import { migrations } from '../../db/migrations';
import type { Db } from './knex';

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

export async function migrateLatest(db: Db): Promise<void> {
  await db.migrate.latest(migrationConfig);
}

export async function migrateRollbackAll(db: Db): Promise<void> {
  await db.migrate.rollback(migrationConfig, true);
}

export async function currentMigration(db: Db): Promise<string> {
  return db.migrate.currentVersion(migrationConfig);
}
