import { spawn } from 'node:child_process';
import path from 'node:path';
import { migrations } from '../../db/migrations';
import type { DatabaseConfig } from '../../src/lib/config';
import { createDb, type Db } from '../../src/db/knex';
import { prepareDatabase } from '../../src/seed/prepare';
import { createLogger } from '../../src/lib/logger';
import { startServer } from '../../src/server';
import { createTestDb, describeEachDatabase, type TestDb, testConfig } from '../helpers/testDb';

// Child processes transpile the sources as they load them: several seconds each on a busy machine.
jest.setTimeout(180000);

const TABLES = ['vendors', 'actors', 'sources', 'events', 'event_vendors', 'citations', 'knex_migrations'];

async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = Number((await db(table).count({ n: '*' }).first())?.n);
  return out;
}

const silent = createLogger(testConfig({ client: 'sqlite', filename: ':memory:' }));

/** What one instance starting alone leaves behind: the reference for the races below. */
async function countsAfterOneStart(kind: 'sqlite' | 'postgres'): Promise<Record<string, number>> {
  const alone = await createTestDb(kind, { migrate: false });
  try {
    await prepareDatabase(alone.db, { loadDemoData: true }, silent);
    return await counts(alone.db);
  } finally {
    await alone.cleanup();
  }
}

/** The environment that points a child process at the test database. */
function childEnvironment(database: DatabaseConfig): NodeJS.ProcessEnv {
  let url: string;
  if (database.client === 'sqlite') url = database.filename;
  else {
    const u = new URL(database.connectionString);
    // The test's own schema, through the connection's startup options.
    if (database.schema) u.searchParams.set('options', `-c search_path=${database.schema}`);
    url = u.toString();
  }
  return {
    ...process.env,
    DATABASE_URL: url,
    PORT: '0',
    LOG_LEVEL: 'silent',
    LOAD_DEMO_DATA: 'true',
    SESSION_SECRET: 'a-session-secret-for-the-start-race-test-0001',
  };
}

function startChild(database: DatabaseConfig): Promise<{ code: number | null; out: string; err: string }> {
  const root = path.resolve(__dirname, '../..');
  const child = spawn(process.execPath, ['-r', './test/helpers/childRegister.js', 'test/db/child/start-instance.ts'], {
    cwd: root,
    env: childEnvironment(database),
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

describeEachDatabase('starting several instances at once on a fresh %s database', (kind) => {
  let expected: Record<string, number>;
  let t: TestDb;

  beforeAll(async () => {
    expected = await countsAfterOneStart(kind);
    expect(expected.vendors).toBeGreaterThan(0);
    expect(expected.knex_migrations).toBe(migrations.length);
  });
  beforeEach(async () => {
    t = await createTestDb(kind, { migrate: false });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await t.cleanup();
  });

  it('prepareDatabase from four pools at once: one schema, one copy of the demo data', async () => {
    const pools = Array.from({ length: 4 }, () => createDb(t.database));
    try {
      const results = await Promise.allSettled(pools.map((db) => prepareDatabase(db, { loadDemoData: true }, silent)));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    } finally {
      await Promise.all(pools.map((db) => db.destroy()));
    }
    expect(await counts(t.db)).toEqual(expected);
  });

  it('four startServer calls at once all come up, and a restart adds nothing', async () => {
    const config = testConfig(t.database, { loadDemoData: true });
    // Each instance prints the first-admin link.
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => startServer(config, silent)));
    const running = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    try {
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    } finally {
      await Promise.all(running.map((r) => r.stop()));
    }
    expect(await counts(t.db)).toEqual(expected);

    const again = await startServer(config, silent);
    await again.stop();
    expect(await counts(t.db)).toEqual(expected);
  });

  it('three real processes started together all come up', async () => {
    const results = await Promise.all([startChild(t.database), startChild(t.database), startChild(t.database)]);
    for (const r of results) {
      expect({ code: r.code, err: r.err.trim() }).toEqual({ code: 0, err: '' });
      expect(r.out).toMatch(/^READY http:\/\/localhost:\d+$/m);
    }
    expect(await counts(t.db)).toEqual(expected);
  });
});
