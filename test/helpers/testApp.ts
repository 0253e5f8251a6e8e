import type { Express } from 'express';
import { createApp } from '../../src/app';
import type { Config } from '../../src/lib/config';
import { createLogger } from '../../src/lib/logger';
import { type DbKind, openTestDb, type TestDb, testConfig } from './testDb';

export interface TestApp extends TestDb {
  app: Express;
  config: Config;
}

/** The real app on a fresh database of the given kind, with the demo data loaded unless asked not to. */
export async function createTestApp(kind: DbKind, options: { demo?: boolean; config?: Partial<Config> } = {}): Promise<TestApp> {
  const testDb = await openTestDb(kind, options.demo === false ? 'migrated' : 'demo');
  const config = testConfig(testDb.database, options.config);
  const app = createApp({ db: testDb.db, config, logger: createLogger(config) });
  return { ...testDb, app, config };
}
