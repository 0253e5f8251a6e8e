import net from 'node:net';
import express from 'express';
import knex from 'knex';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createDb, type Db } from '../../src/db/knex';
import { migrateLatest } from '../../src/db/migrate';
import { sendCsv } from '../../src/http/csvResponse';
import { errorHandler } from '../../src/http/errorHandler';
import { createLogger } from '../../src/lib/logger';
import { loadDemoData } from '../../src/seed/loadDemoData';
import { parseHtml, textOf } from '../helpers/dom';
import { Browser, signedInBrowser } from '../helpers/session';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { createTestDb, describeEachDatabase, testConfig } from '../helpers/testDb';
import { addTestUser } from '../helpers/users';

// SQLite's "database away" is a write lock held past busy_timeout (shortened to 1 s below).
jest.setTimeout(60000);

/** The sign-out button's label on a page ('' when nobody is signed in). */
function signOutLabel(html: string): string {
  return textOf(parseHtml(html), 'form[method="post"][action="/logout"] button');
}

/** Every field of the vendor form (the form posts them all, empty or not). */
const NEW_VENDOR = { aliases: '', country: '', website: '', description: '' };

const ANALYST = { email: 'faults@example.org', password: 'faults-password-0007', display_name: 'Fay Faults', role: 'analyst' as const };

/** A TCP relay to PostgreSQL that a test can cut and restore, like a database restarting. */
class Relay {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', () => resolve()));
    this.port = (this.server!.address() as net.AddressInfo).port;
  }

  /** Refuses new connections and drops the open ones. */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/** The database made unreachable and back: a cut relay on PostgreSQL, a held write lock on SQLite. */
interface Outage {
  db: Db;
  begin(): Promise<void>;
  end(): Promise<void>;
  cleanup(): Promise<void>;
}

async function outageFor(database: TestApp['database']): Promise<Outage> {
  if (database.client === 'postgres') {
    const target = new URL(database.connectionString);
    const relay = new Relay(target.hostname, Number(target.port || 5432));
    await relay.start();
    const via = new URL(database.connectionString);
    via.hostname = '127.0.0.1';
    via.port = String(relay.port);
    const db = createDb({ ...database, connectionString: via.toString() });
    return {
      db,
      begin: () => relay.stop(),
      end: () => relay.start(),
      cleanup: async () => Promise.all([db.destroy(), relay.stop()]).then(() => undefined),
    };
  }
  // A second connection holding SQLite's write lock, as `npm run import` does beside the server.
  const holder = knex({ client: 'sqlite3', connection: { filename: database.filename }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
  let lock: { release(): void; done: Promise<void> } | undefined;
  // A write gives up after busy_timeout; 1 s instead of the default 5 s, since what is tested
  // is the refusal, not the length of the wait.
  const db = createDb({ ...database, busyTimeoutMs: 1000 });
  return {
    db,
    async begin() {
      let release!: () => void;
      let started!: () => void;
      const held = new Promise<void>((resolve) => (started = resolve));
      const done = holder
        .transaction(async (trx) => {
          await trx.raw('insert into app_secrets (name, value, created_at) values (?, ?, ?)', ['lock-holder', 'x', 'now']);
          started();
          await new Promise<void>((resolve) => (release = resolve));
          throw new Error('rolled back on purpose');
        })
        .catch(() => undefined);
      await held;
      lock = { release, done };
    },
    async end() {
      lock?.release();
      await lock?.done;
    },
    async cleanup() {
      await Promise.all([holder.destroy(), db.destroy()]);
    },
  };
}

describeEachDatabase('database faults on %s', (kind) => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await addTestUser(t, ANALYST);
    browser = await signedInBrowser(t.app, ANALYST);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  it('a failing session store costs the request a 503 with Retry-After, never the process, and works again when it is back', async () => {
    await t.db.schema.renameTable('sessions', 'sessions_away');
    try {
      const page = await browser.get('/');
      expect(page.status).toBe(503);
      expect(page.headers['retry-after']).toMatch(/^\d+$/);
      const errorPage = parseHtml(page.text)('article.error-page');
      expect(errorPage).toHaveLength(1);
      expect(errorPage.text()).toContain('Try again in a few seconds.');

      const api = await browser.get('/api/vendors');
      expect(api.status).toBe(503);
      expect(api.headers['retry-after']).toMatch(/^\d+$/);
      expect(api.body.error.code).toBe('session_store_unavailable');

      // A visitor without a session needs no store: the public pages keep working.
      expect((await request(t.app).get('/vendors')).status).toBe(200);
    } finally {
      await t.db.schema.renameTable('sessions_away', 'sessions');
    }
    const back = await browser.get('/');
    expect(back.status).toBe(200);
    expect(signOutLabel(back.text)).toContain('Sign out');
  });

  it('the database away: 503 with Retry-After on pages, the API, exports and /healthz; all well once it is back', async () => {
    const outage = await outageFor(t.database);
    const app = createApp({ db: outage.db, config: t.config, logger: createLogger(t.config) });
    const user = await signedInBrowser(app, ANALYST);
    try {
      await expectRefusedWhileAway(app, user, outage);
      expect((await request(app).get('/healthz')).status).toBe(200);
      expect((await request(app).get('/api/vendors')).status).toBe(200);
      const created = await user.post('/vendors', { ...NEW_VENDOR, name: 'Back Again Vendor', slug: 'back-again-vendor' });
      expect(created.status).toBe(303);
    } finally {
      await outage.cleanup();
    }
  });

  async function expectRefusedWhileAway(app: ReturnType<typeof createApp>, user: Browser, outage: Outage): Promise<void> {
    try {
      await outage.begin();
      if (kind === 'postgres') {
        for (const path of ['/vendors', '/events.csv']) {
          const res = await request(app).get(path);
          expect({ path, status: res.status, retryAfter: res.headers['retry-after'] }).toEqual({
            path,
            status: 503,
            retryAfter: expect.stringMatching(/^\d+$/),
          });
        }
        const api = await request(app).get('/api/vendors');
        expect(api.status).toBe(503);
        expect(api.body.error.code).toBe('database_unavailable');
        const health = await request(app).get('/healthz');
        expect(health.status).toBe(503);
        expect(health.body.database).toBe('down');
      } else {
        // SQLite readers are not blocked by a writer; a write waits busy_timeout and is refused.
        const res = await user.post('/vendors', { ...NEW_VENDOR, name: 'Locked Out Vendor', slug: 'locked-out-vendor' });
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toMatch(/^\d+$/);
        expect(textOf(parseHtml(res.text))).toContain('The database is not answering just now.');
      }
    } finally {
      await outage.end();
    }
  }

  if (kind === 'sqlite') {
    it('a signed-in page view while another process holds the write lock is served, and the process lives on', async () => {
      const outage = await outageFor(t.database);
      const app = createApp({ db: outage.db, config: t.config, logger: createLogger(t.config) });
      const user = await signedInBrowser(app, ANALYST);
      try {
        await outage.begin();
        // The session's expiry cannot be pushed forward (a write); the page is still whole.
        const page = await user.get('/');
        expect(page.status).toBe(200);
        expect(signOutLabel(page.text)).toContain('Sign out');
      } finally {
        await outage.end();
        await outage.cleanup();
      }
    });
  }

  it('/healthz is 503 on an empty database with no schema, 200 once migrated', async () => {
    const empty = await createTestDb(kind, { migrate: false });
    try {
      const config = testConfig(empty.database);
      const app = createApp({ db: empty.db, config, logger: createLogger(config) });
      const before = await request(app).get('/healthz');
      expect(before.status).toBe(503);
      expect(before.body).toMatchObject({ status: 'unavailable', database: 'up', schema: 'missing' });
      await migrateLatest(empty.db);
      const after = await request(app).get('/healthz');
      expect(after.status).toBe(200);
      expect(after.body).toMatchObject({ status: 'ok', database: 'up', schema: 'current' });
    } finally {
      await empty.cleanup();
    }
  });

  it('an export that fails midway ends as a cut-off download, never a clean short file', async () => {
    const app = express();
    app.get('/broken.csv', async (req, res) => {
      async function* rows() {
        for (let i = 0; i < 500; i++) yield { n: String(i), text: 'x'.repeat(200) };
        // What a dropped connection looks like to the export's query.
        throw Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
      }
      await sendCsv(req, res, 'broken.csv', ['n', 'text'] as const, rows());
    });
    app.get('/away.csv', async (req, res) => {
      // A source that fails before its first row, as a database that is away does.
      // eslint-disable-next-line require-yield
      async function* rows(): AsyncGenerator<{ n: string }> {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      }
      await sendCsv(req, res, 'away.csv', ['n'] as const, rows());
    });
    app.use(errorHandler);

    await expect(request(app).get('/broken.csv').buffer(true)).rejects.toThrow(/aborted|socket hang up|ECONNRESET|terminated/i);
    // Failing before the first row: the header has not gone out, so a proper 503.
    const away = await request(app).get('/away.csv').set('Accept', 'application/json');
    expect(away.status).toBe(503);
    expect(away.headers['retry-after']).toMatch(/^\d+$/);
    expect(away.headers['content-type']).not.toMatch(/text\/csv/);
  });
});

describeEachDatabase('session store recovery on %s', (kind) => {
  it('serves sessions once the table is back, even when it was missing when the app started', async () => {
    const testDb = await createTestDb(kind);
    try {
      await loadDemoData(testDb.db);
      await testDb.db.schema.renameTable('sessions', 'sessions_away');
      const config = testConfig(testDb.database);
      const app = createApp({ db: testDb.db, config, logger: createLogger(config) });
      await testDb.db.schema.renameTable('sessions_away', 'sessions');
      await addTestUser({ db: testDb.db, config }, ANALYST);
      const user = await signedInBrowser(app, ANALYST);
      expect(signOutLabel((await user.get('/')).text)).toContain('Sign out');
    } finally {
      await testDb.cleanup();
    }
  });
});
