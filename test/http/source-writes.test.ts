import { insertRowsReturningIds } from '../../src/db/bulk';
import { insertVersionedRows } from '../../src/db/versioned';
import type { Editor } from '../../src/history/repo';
import { listRevisions } from '../../src/history/repo';
import { parseForm } from '../../src/lib/input';
import { search } from '../../src/search/service';
import { findSourceById, updateSourceRow } from '../../src/sources/repo';
import { SourceInput } from '../../src/sources/schema';
import { createSources } from '../../src/sources/service';
import { createTestDb, describeEachDatabase, type TestDb } from '../helpers/testDb';

jest.setTimeout(60000);

const EDITOR: Editor = { id: null, displayName: 'Write path test' };
const NOW = '2026-11-29T10:00:00.000Z';
const LATER = '2026-11-29T11:00:00.000Z';

describeEachDatabase('the sources write path on %s', (kind) => {
  let t: TestDb;

  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('insertRowsReturningIds returns each row’s id in the order given, and nothing for no rows', async () => {
    const titles = ['zeta first', 'alpha second', 'mu third'];
    const ids = await t.db.transaction((trx) =>
      insertRowsReturningIds(
        trx,
        'sources',
        titles.map((title) => ({ title, publisher: '', author: '', version: 1, created_at: NOW, updated_at: NOW })),
      ),
    );
    expect(ids).toHaveLength(3);
    for (const [i, id] of ids.entries()) expect((await findSourceById(t.db, id))?.title).toBe(titles[i]);
    expect(await t.db.transaction((trx) => insertRowsReturningIds(trx, 'sources', []))).toEqual([]);
  });

  it('insertVersionedRows stores each row as its version 1, stamped with the time given', async () => {
    const [id] = await t.db.transaction((trx) =>
      insertVersionedRows(trx, 'sources', [{ title: 'Versioned row', publisher: 'P', author: '' }], NOW),
    );
    expect(await findSourceById(t.db, id)).toMatchObject({ title: 'Versioned row', version: 1, createdAt: NOW, updatedAt: NOW });
  });

  it('createSources stores the sources, records each creation in the history and indexes them for search', async () => {
    const typed = parseForm(SourceInput, {
      url: 'https://writes.example/report',
      title: 'Quokkaline procurement report',
      publisher: 'Writes Daily',
      author: 'A. Writer',
      published_on: '2024-03',
      archived_url: '',
      language: 'en',
      reliability: 'b',
      body: '',
    });
    const bare = { url: null, title: 'Quokkaline note without an address', publisher: '', published_on: null, reliability: null };
    const ids = await t.db.transaction((trx) => createSources(trx, EDITOR, [typed, bare], NOW));
    expect(ids).toHaveLength(2);

    const [first, second] = await Promise.all(ids.map((id) => findSourceById(t.db, id)));
    expect(first).toMatchObject({
      url: 'https://writes.example/report',
      title: 'Quokkaline procurement report',
      publisher: 'Writes Daily',
      author: 'A. Writer',
      publishedOn: '2024-03',
      archivedUrl: null,
      language: 'en',
      reliability: 'B',
      body: null,
      version: 1,
      createdAt: NOW,
      updatedAt: NOW,
    });
    expect(second).toMatchObject({ url: null, title: 'Quokkaline note without an address', author: '', publishedOn: null, version: 1 });
    const row = await t.db('sources').where({ id: ids[0] }).first('published_start');
    expect(row.published_start).toBe('2024-03-01');

    const history = await listRevisions(t.db, 'source', ids[0]);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ action: 'create', version: 1 });
    expect(history[0].changes).toMatchObject({ title: ['', 'Quokkaline procurement report'], reliability: ['', 'B'] });

    const found = await search(t.db, { q: 'quokkaline' });
    expect(found.results.map((r) => (r.kind === 'source' ? Number(r.source.id) : null)).sort()).toEqual([...ids].sort());
  });

  it('updateSourceRow saves over the version read and refuses a stale one, leaving the row as it was', async () => {
    const [id] = await t.db.transaction((trx) =>
      createSources(trx, EDITOR, [{ url: null, title: 'Before edit', publisher: '', published_on: null, reliability: null }], NOW),
    );
    const edit = { url: null, title: 'After edit', publisher: 'Q', published_on: '2025', reliability: 'A' };
    expect(await t.db.transaction((trx) => updateSourceRow(trx, id, 1, edit, LATER))).toBe(true);
    const saved = await findSourceById(t.db, id);
    expect(saved).toMatchObject({ title: 'After edit', publisher: 'Q', publishedOn: '2025', version: 2, createdAt: NOW, updatedAt: LATER });

    expect(await t.db.transaction((trx) => updateSourceRow(trx, id, 1, { ...edit, title: 'Stale edit' }, NOW))).toBe(false);
    expect(await findSourceById(t.db, id)).toEqual(saved);
  });
});
