import { loadConfig } from '../../src/lib/config';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Db, prepareSqliteConnection, type SqliteConnection } from '../../src/db/knex';
import { databaseFault } from '../../src/db/errors';
import { createTestDb, type DbKind, describeEachDatabase, type TestDb } from '../helpers/testDb';

/** A read that keeps one connection busy for a second or two. */
function longRead(db: Db, kind: DbKind, rows = 1_500_000): Promise<unknown> {
  if (kind === 'postgres') return db.raw('select pg_sleep(?)', [rows / 1_000_000]);
  return db.raw('with recursive c(x) as (select 1 union all select x + 1 from c where x < ?) select count(*) as n from c', [rows]);
}

function secret(name: string) {
  return { name, value: name, created_at: '2026-11-29T00:00:00.000Z' };
}

/** A promise and the function that settles it, to hold a transaction open until the test lets go. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describeEachDatabase('database concurrency on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('a long read does not hold up a write', async () => {
    const finished: string[] = [];
    const read = longRead(t.db, kind).then(() => finished.push('read'));
    // Let the read reach the database before the write is sent.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const write = t
      .db('app_secrets')
      .insert(secret('beside-a-long-read'))
      .then(() => finished.push('write'));
    await Promise.all([read, write]);
    expect(finished).toEqual(['write', 'read']);
  });

  it('a transaction that reads and then writes waits for another pool’s writer instead of failing', async () => {
    const other = createDb(t.database);
    try {
      const holding = gate();
      const wrote = gate();
      // Another process, say an import: it takes the write lock and keeps it a while.
      const bulk = other.transaction(async (trx) => {
        await trx('app_secrets').insert(secret('bulk-1'));
        wrote.open();
        await holding.opened;
        await trx('app_secrets').insert(secret('bulk-2'));
      });
      await wrote.opened;
      const live = t.db.transaction(async (trx) => {
        await trx('app_secrets').where({ name: 'bulk-1' }).first();
        await trx('app_secrets').insert(secret('live-write'));
      });
      setTimeout(holding.open, 300);
      await Promise.all([bulk, live]);
      expect((await t.db('app_secrets').whereIn('name', ['bulk-1', 'bulk-2', 'live-write'])).length).toBe(3);
    } finally {
      await other.destroy();
    }
  });

  it('many read-then-write transactions from two pools at once all commit', async () => {
    const other = createDb(t.database);
    try {
      const work = Array.from({ length: 24 }, (_, i) =>
        (i % 2 ? other : t.db).transaction(async (trx) => {
          const row = await trx('app_secrets').count({ n: '*' }).first();
          await trx('app_secrets').insert(secret(`race-${i}-${row?.n}`));
        }),
      );
      const results = await Promise.allSettled(work);
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      expect(Number((await t.db('app_secrets').where('name', 'like', 'race-%').count({ n: '*' }).first())?.n)).toBe(24);
    } finally {
      await other.destroy();
    }
  });

  it('DATABASE_STATEMENT_TIMEOUT_MS and SQLITE_BUSY_TIMEOUT_MS reach every connection (and PostgreSQL runs without parallel workers)', async () => {
    const url = t.database.client === 'sqlite' ? t.database.filename : t.database.connectionString;
    const config = loadConfig({ DATABASE_URL: url, DATABASE_STATEMENT_TIMEOUT_MS: '250', SQLITE_BUSY_TIMEOUT_MS: '1234' });
    const db = createDb(config.database);
    try {
      if (kind === 'postgres') {
        expect((await db.raw('show statement_timeout')).rows[0].statement_timeout).toBe('250ms');
        // Pages read bounded sets by index, many at once: no parallel workers (src/db/knex.ts).
        expect((await db.raw('show max_parallel_workers_per_gather')).rows[0].max_parallel_workers_per_gather).toBe('0');
      } else {
        expect(await db.raw('pragma busy_timeout')).toEqual([{ timeout: 1234 }]);
        expect(
          databaseFault(
            await longRead(db, kind, 50_000_000).then(
              () => null,
              (e: unknown) => e,
            ),
          ),
        ).toBe('timeout');
      }
    } finally {
      await db.destroy();
    }
  });

  it('a statement past its budget is cancelled as a timeout and the pool keeps working', async () => {
    const budgeted = createDb(t.database, { statementTimeoutMs: 200 });
    try {
      const err = await longRead(budgeted, kind, 50_000_000).then(
        () => null,
        (e: unknown) => e,
      );
      expect(databaseFault(err)).toBe('timeout');
      expect(await budgeted.raw('select 1 as one')).toBeTruthy();
    } finally {
      await budgeted.destroy();
    }
  });
});

describe('a new SQLite connection', () => {
  it('is handed out only once its settings have run, one statement at a time', async () => {
    // node-sqlite3 runs a connection's statements side by side: each waits for the one before.
    let running = 0;
    let most = 0;
    const sent: string[] = [];
    const answer = (sql: string, reply: () => void) => {
      sent.push(sql);
      running++;
      most = Math.max(most, running);
      setTimeout(
        () => {
          running--;
          reply();
        },
        5 + (sent.length % 3) * 5,
      );
    };
    const conn: SqliteConnection = {
      run: (sql, cb) => answer(sql, () => cb?.(null)),
      all: (sql, cb) => answer(sql, () => cb(null, [{ journal_mode: 'wal' }])),
    };
    await prepareSqliteConnection(conn, 1234);
    expect({ running, most }).toEqual({ running: 0, most: 1 });
    expect(sent).toEqual([
      'PRAGMA busy_timeout = 1234',
      'PRAGMA foreign_keys = ON',
      expect.stringMatching(/^PRAGMA cache_size = -\d+$/),
      'PRAGMA journal_mode = WAL',
    ]);
  });

  it('takes a backup (VACUUM INTO) as its first statement, every time', async () => {
    // Before the settings were awaited, about one new pool in a hundred answered "cannot VACUUM -
    // SQL statements in progress": a pragma was still running when the pool handed the connection out.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpt-new-conn-'));
    const database = { client: 'sqlite' as const, filename: path.join(dir, 'db.sqlite') };
    try {
      const setup = createDb(database);
      await setup.raw('create table t (x)');
      await setup.destroy();
      const failures: string[] = [];
      for (let i = 0; i < 300; i++) {
        const db = createDb(database, { statementTimeoutMs: 0 });
        const copy = path.join(dir, `copy-${i}.sqlite`);
        try {
          await db.raw('vacuum into ?', [copy]);
          expect(await db.raw('pragma foreign_keys')).toEqual([{ foreign_keys: 1 }]);
        } catch (err) {
          failures.push(`${i}: ${(err as Error).message}`);
        } finally {
          await db.destroy();
          fs.rmSync(copy, { force: true });
        }
      }
      expect(failures).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
