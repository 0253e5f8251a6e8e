import type { Express } from 'express';
import type { Knex } from 'knex';
import { createApp } from '../../src/app';
import { createDb, type Db } from '../../src/db/knex';
import { createLogger } from '../../src/lib/logger';
import { createTestUser } from '../helpers/users';
import { type Browser, signedInBrowser } from '../helpers/session';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';

jest.setTimeout(60000);

const ANA = { email: 'ana@example.org', password: 'ana-password-000007', display_name: 'Ana Analyst', role: 'analyst' as const };

describeEachDatabase('a statement held past its budget on %s', (kind) => {
  let t: TestApp;
  let budgeted: Db;
  let app: Express;
  let ana: Browser;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await createTestUser(t.db, ANA);
    // PostgreSQL ends a lock wait at statement_timeout; SQLite at busy_timeout (sqlite3_interrupt
    // does not cut SQLite's busy wait; it stops statements that run, see test/db/concurrency.test.ts).
    budgeted = createDb(t.database, { statementTimeoutMs: 300, busyTimeoutMs: 1000 });
    app = createApp({ db: budgeted, config: t.config, logger: createLogger(t.config) });
    ana = await signedInBrowser(app, ANA);
  });
  afterAll(async () => {
    await budgeted?.destroy();
    await t?.cleanup();
  });

  /** Another process holds the vendors table (PostgreSQL) or the write lock (SQLite) until `release`. */
  async function holdVendors(): Promise<{ release: () => Promise<void> }> {
    const holder = createDb(t.database);
    const trx: Knex.Transaction = await holder.transaction();
    if (kind === 'postgres') await trx.raw('lock table vendors in access exclusive mode');
    else await trx('app_secrets').insert({ name: 'holding-the-lock', value: 'x', created_at: '2026-11-29T00:00:00.000Z' });
    return {
      release: async () => {
        await trx.rollback();
        await holder.destroy();
      },
    };
  }

  it('a write that waits past the budget answers 503 with Retry-After, and the app serves on', async () => {
    const held = await holdVendors();
    let res;
    try {
      res = await ana.post('/vendors', {
        name: 'Waiting Vendor',
        slug: 'waiting-vendor',
        aliases: '',
        country: '',
        website: '',
        description: '',
      });
    } finally {
      await held.release();
    }
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(await t.db('vendors').where({ slug: 'waiting-vendor' }).first()).toBeUndefined();

    const again = await ana.post('/vendors', {
      name: 'Waiting Vendor',
      slug: 'waiting-vendor',
      aliases: '',
      country: '',
      website: '',
      description: '',
    });
    expect(again.status).toBe(303);
  });

  if (kind === 'postgres') {
    it('a page whose read waits past the budget answers 503', async () => {
      const held = await holdVendors();
      let res;
      try {
        res = await ana.get('/vendors/kaspersky-lab');
      } finally {
        await held.release();
      }
      expect(res.status).toBe(503);
      expect((await ana.get('/vendors/kaspersky-lab')).status).toBe(200);
    });
  }
});
