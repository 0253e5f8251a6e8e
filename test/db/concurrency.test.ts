import { loadConfig } from '../../src/lib/config';
import { createDb, type Db } from '../../src/db/knex';
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
