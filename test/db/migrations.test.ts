import { currentMigration, migrateLatest, migrateRollbackAll } from '../../src/db/migrate';
import { migrations } from '../../db/migrations';
import { createTestDb, describeEachDatabase } from '../helpers/testDb';

const EXPECTED_TABLES = [
  'vendors',
  'actors',
  'events',
  'event_vendors',
  'event_affected_actors',
  'event_links',
  'sources',
  'citations',
  'users',
  'sessions',
  'login_throttle',
  'setup_tokens',
  'app_secrets',
  'revisions',
  'search_documents',
  'import_batches',
];

describeEachDatabase('migrations on %s', (kind) => {
  it('run to the latest, roll back completely, and run to the latest again', async () => {
    const t = await createTestDb(kind, { migrate: false });
    try {
      await migrateLatest(t.db);
      expect(await currentMigration(t.db)).toBe(migrations[migrations.length - 1].name.split('_')[0]);
      for (const table of EXPECTED_TABLES) expect(await t.db.schema.hasTable(table)).toBe(true);

      await migrateRollbackAll(t.db);
      expect(await currentMigration(t.db)).toBe('none');
      for (const table of EXPECTED_TABLES) expect(await t.db.schema.hasTable(table)).toBe(false);

      await migrateLatest(t.db);
      for (const table of EXPECTED_TABLES) expect(await t.db.schema.hasTable(table)).toBe(true);
    } finally {
      await t.cleanup();
    }
  });
});

it('migration names are unique and in timestamp order', () => {
  const names = migrations.map((m) => m.name);
  expect(new Set(names).size).toBe(names.length);
  expect([...names].sort()).toEqual(names);
  for (const name of names) expect(name).toMatch(/^\d{12}_[a-z0-9_]+$/);
});
