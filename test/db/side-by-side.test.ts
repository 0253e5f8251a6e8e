/**
 * `sideBySide` sends a transaction's independent statements together on SQLite. When one
 * fails, the transaction rolls back; a statement still queued behind it must not run after
 * the rollback, where it would commit on its own.
 */
import { insertRows, sideBySide } from '../../src/db/bulk';
import { describeEachDatabase, openTestDb, type TestDb } from '../helpers/testDb';

const NOW = '2026-01-01T00:00:00.000Z';
const vendor = (slug: string) => ({ slug, name: slug, aliases: '', description: '', version: 1, created_at: NOW, updated_at: NOW });

describeEachDatabase('statements side by side on %s', (kind) => {
  let t: TestDb;

  beforeAll(async () => {
    t = await openTestDb(kind, 'migrated');
    await insertRows(t.db, 'vendors', [vendor('side-taken')]);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  test('a failing statement rolls back the whole transaction, the ones sent beside it included', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => vendor(`side-${i}`));
    const attempt = t.db.transaction((trx) =>
      sideBySide(
        trx,
        // Fails at once: the slug is taken.
        () => insertRows(trx, 'vendors', [vendor('side-taken')]),
        // Statement after statement: the later ones are sent after the failure is known.
        async () => {
          for (let i = 0; i < many.length; i += 300) await insertRows(trx, 'vendors', many.slice(i, i + 300));
        },
      ),
    );
    await expect(attempt).rejects.toThrow(/unique|duplicate/i);
    expect(await t.db('vendors').where('slug', 'like', 'side-%').pluck('slug')).toEqual(['side-taken']);
  });

  test('all of them are written when none fails', async () => {
    await t.db.transaction((trx) =>
      sideBySide(
        trx,
        () => insertRows(trx, 'vendors', [vendor('side-one')]),
        () => insertRows(trx, 'vendors', [vendor('side-two')]),
      ),
    );
    expect((await t.db('vendors').where('slug', 'like', 'side-%').pluck('slug')).sort()).toEqual(['side-one', 'side-taken', 'side-two']);
  });
});
