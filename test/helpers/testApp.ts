import type { Express } from 'express';
import { createApp } from '../../src/app';
import type { Config } from '../../src/lib/config';
import { createLogger } from '../../src/lib/logger';
import { loadDemoData } from '../../src/seed/loadDemoData';
import { createTestDb, type DbKind, type TestDb, testConfig } from './testDb';

export interface TestApp extends TestDb {
  app: Express;
  config: Config;
}

/** The real app on a fresh database of the given kind, with the demo data loaded unless asked not to. */
export async function createTestApp(kind: DbKind, options: { demo?: boolean; config?: Partial<Config> } = {}): Promise<TestApp> {
  const testDb = await createTestDb(kind);
  if (options.demo !== false) await loadDemoData(testDb.db);
  const config = testConfig(testDb.database, options.config);
  const app = createApp({ db: testDb.db, config, logger: createLogger(config) });
  return { ...testDb, app, config };
}
