/**
 * The import's write path: one confirmation applies an upload, a large file does not hold
 * the event loop, the writes are batched (the query count does not grow with the rows),
 * the search index follows every write without scanning itself, and the command line waits
 * for a busy database and fails in one clear line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import sqlite3 from 'sqlite3';
import request from 'supertest';
import { runImportCommand } from '../../scripts/import';
import type { Db } from '../../src/db/knex';
import { createEvent, deleteEvent, restoreEvent, updateEvent } from '../../src/events/editing';
import { parseEventForm } from '../../src/events/schema';
import { EVENT_CSV_COLUMNS, type EventCsvColumn, eventCsvRecord } from '../../src/events/csv';
import { eventFormValues } from '../../src/events/routes';
import { getEvent } from '../../src/events/service';
import { importEvents } from '../../src/imports/run';
import { reindexEvents, reindexSources } from '../../src/db/searchIndex';
import { createTestUser } from '../helpers/users';
import { type Browser, signedInBrowser } from '../helpers/session';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { hrefsOf, parseHtml, textOf as domTextOf } from '../helpers/dom';
import { importConfirmPathOf } from '../helpers/domExtra';
import { staleVendorLinks } from './support';

jest.setTimeout(120_000);

type Cells = Record<EventCsvColumn, string>;
const ANALYST = { email: 'writer@example.org', password: 'import writes password 1234', display_name: 'Wanda Writer', role: 'analyst' };
const CLI = { id: null, displayName: 'command-line import' };

function csvFile(rows: Array<Partial<Cells>>): string {
  const full = rows.map((r) => Object.fromEntries(EVENT_CSV_COLUMNS.map((c) => [c, r[c] ?? ''])));
  return stringify(full, { header: true, columns: [...EVENT_CSV_COLUMNS], record_delimiter: '\r\n' });
}

/** n generated events over a few vendors, each citing its own new source. */
function generatedRows(n: number, prefix: string, extra: Partial<Cells> = {}): Array<Partial<Cells>> {
  return Array.from({ length: n }, (_, i) => {
    const day = String((i % 28) + 1).padStart(2, '0');
    return {
      id: `${prefix}-${i}`,
      occurred_on: `20${10 + (i % 15)}-0${(i % 9) + 1}-${day}`,
      vendors: `${prefix}-vendor-${i % 7}`,
      jurisdiction: 'US',
      actor: `${prefix}-agency-${i % 3}`,
      type: 'advisory',
      title: `Generated advisory ${i} for ${prefix}`,
      summary: `Generated summary number ${i}.`,
      source_titles: `Generated article ${i}`,
      source_urls: `https://generated.example/${prefix}/${i}`,
      ...extra,
    };
  });
}

async function count(db: Db, table: string, where: Record<string, unknown> = {}): Promise<number> {
  return Number((await db(table).where(where).count({ n: '*' }).first())?.n ?? 0);
}

function upload(browser: Browser, content: string) {
  return browser.agent
    .post('/imports')
    .field('_csrf', browser.token as string)
    .attach('file', Buffer.from(content, 'utf8'), { filename: 'events.csv', contentType: 'text/csv' });
}

/** The visible text of a page. */
const textOf = (html: string): string => domTextOf(parseHtml(html));

function confirmPathOf(html: string): string {
  const path = importConfirmPathOf(parseHtml(html));
  if (!path) throw new Error(`No confirm form on the page: ${textOf(html).slice(0, 400)}`);
  return path;
}

/** Search result links to events on the search page. */
async function searchHits(t: TestApp, q: string): Promise<string[]> {
  const res = await request(t.app).get(`/search?q=${encodeURIComponent(q)}`);
  expect(res.status).toBe(200);
  return hrefsOf(parseHtml(res.text)).flatMap((href) => {
    const m = /^\/events\/([^?#]+)$/.exec(href);
    return m ? [decodeURIComponent(m[1])] : [];
  });
}

describeEachDatabase('import writes on %s', (kind) => {
  let t: TestApp;
  let analyst: Browser;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await createTestUser(t.db, ANALYST);
    analyst = await signedInBrowser(t.app, ANALYST);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  test('three confirmations of one upload sent at once: one applies it, the others are told it was already applied, nothing is doubled', async () => {
    const rows = generatedRows(3, 'thrice');
    const preview = await upload(analyst, csvFile(rows));
    expect(preview.status).toBe(200);
    const confirm = confirmPathOf(preview.text);
    const before = {
      events: await count(t.db, 'events'),
      sources: await count(t.db, 'sources'),
      vendors: await count(t.db, 'vendors'),
      revisions: await count(t.db, 'revisions'),
    };

    const answers = await Promise.all([analyst.post(confirm), analyst.post(confirm), analyst.post(confirm)]);
    expect(answers.map((a) => a.status).sort()).toEqual([303, 409, 409]);
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(textOf(refused.text)).toMatch(/This import was already applied \(at .+\); nothing was imported a second time\./);
    }
    expect(await count(t.db, 'events')).toBe(before.events + 3);
    expect(await count(t.db, 'sources')).toBe(before.sources + 3);
    expect(await count(t.db, 'vendors')).toBe(before.vendors + 3);
    // 3 events, 3 sources, 3 vendors, 3 actors: one revision each, once.
    expect(await count(t.db, 'revisions')).toBe(before.revisions + 12);
    for (const r of rows) expect(await count(t.db, 'events', { public_id: r.id })).toBe(1);
    const flash = await analyst.get('/imports');
    expect(textOf(flash.text)).toContain('3 created, 0 updated, 0 unchanged');
  });

  test('a large dry run leaves the server answering: /healthz is served before the check is through', async () => {
    const content = Buffer.from(csvFile(generatedRows(3000, 'loop-dry')));
    let rows = 0;
    let answeredAt: number | null = null;
    let pending: Promise<unknown> | null = null;
    const { total } = await importEvents(t.db, content, {
      by: CLI,
      dryRun: true,
      batchSize: 100,
      onProgress: (p) => {
        rows = p.rows;
        pending ??= request(t.app)
          .get('/healthz')
          .then((res) => {
            expect(res.status).toBe(200);
            answeredAt = rows;
          });
      },
    });
    await pending;
    expect(total).toBe(3000);
    expect(answeredAt).not.toBeNull();
    expect(answeredAt as unknown as number).toBeLessThan(3000);
  });

  test('while a large file is applied, another request is served before the import ends', async () => {
    const content = Buffer.from(csvFile(generatedRows(2000, 'loop-apply')));
    let rows = 0;
    let answeredAt: number | null = null;
    let pending: Promise<unknown> | null = null;
    const { summary } = await importEvents(t.db, content, {
      by: CLI,
      batchSize: 100,
      onProgress: (p) => {
        rows = p.rows;
        pending ??= request(t.app)
          .get('/assets/app.css')
          .then((res) => {
            expect(res.status).toBe(200);
            answeredAt = rows;
          });
      },
    });
    await pending;
    expect(summary?.created).toBe(2000);
    expect(answeredAt as unknown as number).toBeLessThan(2000);
  });

  test('the writes are batched: importing ten times the rows takes no more queries', async () => {
    const queriesFor = async (rows: Array<Partial<Cells>>) => {
      let n = 0;
      const listener = () => n++;
      t.db.on('query', listener);
      try {
        await importEvents(t.db, Buffer.from(csvFile(rows)), { by: CLI });
      } finally {
        t.db.off('query', listener);
      }
      return n;
    };
    const small = await queriesFor(generatedRows(40, 'batch-small'));
    const large = await queriesFor(generatedRows(400, 'batch-large'));
    expect(large).toBeLessThanOrEqual(small + 2);
    // And updates: the same 400 rows with new titles.
    const updated = generatedRows(400, 'batch-large').map((r) => ({ ...r, title: `${r.title} (revised)` }));
    const updates = await queriesFor(updated);
    expect(updates).toBeLessThanOrEqual(small + 12);
    expect((await getEvent(t.db, 'batch-large-399')).title).toBe('Generated advisory 399 for batch-large (revised)');
  });

  test('data_version, which the anonymous page cache follows, moves once an import commits and not for one that fails', async () => {
    const version = async () => Number((await t.db('data_version').where({ id: 1 }).first('n'))?.n);
    const start = await version();
    await importEvents(t.db, Buffer.from(csvFile(generatedRows(30, 'dv-ok'))), { by: CLI });
    const afterImport = await version();
    expect(afterImport).toBeGreaterThan(start);
    // Refused (a responds_to no row has): rolled back, so the counter is where it was.
    const bad = generatedRows(5, 'dv-bad');
    bad[4].responds_to = 'dv-nowhere';
    await expect(importEvents(t.db, Buffer.from(csvFile(bad)), { by: CLI })).rejects.toThrow(/cannot be imported/);
    expect(await version()).toBe(afterImport);
    // An update of existing events, and a write made straight to a table, each move it again.
    await importEvents(t.db, Buffer.from(csvFile(generatedRows(30, 'dv-ok').map((r) => ({ ...r, title: `${r.title} again` })))), {
      by: CLI,
    });
    const afterUpdate = await version();
    expect(afterUpdate).toBeGreaterThan(afterImport);
    await t.db('events').where({ public_id: 'dv-ok-0' }).update({ summary: 'Changed by hand.' });
    const afterHand = await version();
    expect(afterHand).toBeGreaterThan(afterUpdate);
    // A savepoint rolled back inside a committed transaction: the write after it still counts.
    await t.db.transaction(async (trx) => {
      await trx
        .transaction(async (inner) => {
          await inner('events').where({ public_id: 'dv-ok-1' }).update({ summary: 'Undone.' });
          throw new Error('undo');
        })
        .catch(() => undefined);
      await trx('events').where({ public_id: 'dv-ok-2' }).update({ summary: 'Kept.' });
    });
    expect(await version()).toBeGreaterThan(afterHand);
    expect((await getEvent(t.db, 'dv-ok-1')).summary).not.toBe('Undone.');
  });

  test('responds_to may name a row in a later batch; a name no row has is refused with its line, and nothing is written', async () => {
    const rows = generatedRows(6, 'forward');
    rows[0].responds_to = 'forward-5';
    rows[2].responds_to = 'forward-1';
    const { summary } = await importEvents(t.db, Buffer.from(csvFile(rows)), { by: CLI, batchSize: 2 });
    expect(summary?.created).toBe(6);
    expect((await getEvent(t.db, 'forward-0')).linksOut.map((l) => l.event.publicId)).toEqual(['forward-5']);
    expect((await getEvent(t.db, 'forward-2')).linksOut.map((l) => l.event.publicId)).toEqual(['forward-1']);

    const bad = generatedRows(4, 'dangling');
    bad[1].responds_to = 'dangling-9';
    const before = await count(t.db, 'events');
    const dry = await importEvents(t.db, Buffer.from(csvFile(bad)), { by: CLI, dryRun: true, keepRows: true, batchSize: 2 });
    expect(dry.plan.counts).toEqual({ create: 3, update: 0, unchanged: 0, invalid: 1 });
    expect(dry.plan.invalid).toEqual([{ line: 3, id: 'dangling-1', reasons: ['responds_to: no event has the id dangling-9'] }]);
    expect(dry.plan.rows.map((r) => r.line)).toEqual([2, 4, 5]);
    await expect(importEvents(t.db, Buffer.from(csvFile(bad)), { by: CLI, batchSize: 2 })).rejects.toMatchObject({
      status: 422,
      code: 'import_invalid',
    });
    expect(await count(t.db, 'events')).toBe(before);
  });

  test('rows of one batch that change different columns: each keeps what it did not change and gets what it did', async () => {
    const rows = generatedRows(5, 'mixed', { effective_on: '2030' });
    await importEvents(t.db, Buffer.from(csvFile(rows)), { by: CLI });
    const exported = async () =>
      Object.fromEntries(
        await Promise.all(rows.map(async (r) => [r.id, eventCsvRecord(await getEvent(t.db, r.id as string))] as const)),
      ) as Record<string, Cells>;
    const before = await exported();
    const edited = rows.map((r) => ({ ...before[r.id as string] }));
    edited[0].title = 'Mixed: only the title changed';
    edited[1].type = 'ban';
    edited[2].occurred_on = '1999-12-31';
    edited[3].effective_on = '';
    edited[4].actor = 'mixed-agency-9';
    const { summary } = await importEvents(t.db, Buffer.from(csvFile(edited)), { by: CLI });
    expect(summary).toMatchObject({ updated: 5, unchanged: 0 });
    const after = await exported();
    // Everything as the file says, except updated_at, which an update stamps with its own time.
    for (const r of edited) expect({ ...after[r.id], updated_at: '' }).toEqual({ ...r, updated_at: '' });
    // The copies and counters that follow those columns moved with them.
    expect(await staleVendorLinks(t.db)).toEqual([]);
    const banCount = await t
      .db('event_counts')
      .where({ jurisdiction: 'US', year: before[rows[1].id as string].occurred_on.slice(0, 4), type: 'ban' })
      .first('events');
    expect(Number(banCount?.events)).toBeGreaterThanOrEqual(1);
  });

  describe('the search index', () => {
    test('finds and forgets documents after create, edit, delete, restore and import', async () => {
      const editor = { id: null, displayName: 'Search check' };
      const publicId = await createEvent(
        t.db,
        editor,
        parseEventForm({
          title: 'Quokkaflux advisory about a vendor',
          summary: 'Made up to test the index.',
          type: 'advisory',
          jurisdiction: 'US',
          actor: '',
          affected: [],
          vendors: ['kaspersky-lab'],
          occurred_on: '2022-03',
          effective_on: '',
          links: [],
          citations: [
            {
              source_id: '',
              url: 'https://search-check.example/a',
              title: 'Zebrawick article',
              publisher: '',
              published_on: '',
              reliability: '',
              quote: 'a quote with marmotine words',
              locator: '',
            },
          ],
          confirm_duplicate: '1',
          version: '',
        }),
      );
      expect(await searchHits(t, 'quokkaflux')).toContain(publicId);
      expect(await searchHits(t, 'marmotine')).toContain(publicId);
      const res = await request(t.app).get('/search?q=zebrawick');
      expect(hrefsOf(parseHtml(res.text))).toContainEqual(expect.stringMatching(/^\/sources\/\d+$/));

      const event = await getEvent(t.db, publicId);
      await updateEvent(
        t.db,
        editor,
        publicId,
        event.version,
        parseEventForm({ ...eventFormValues(event), title: 'Wombatine advisory about a vendor' }),
      );
      expect(await searchHits(t, 'quokkaflux')).not.toContain(publicId);
      expect(await searchHits(t, 'wombatine')).toContain(publicId);

      await deleteEvent(t.db, editor, publicId);
      expect(await searchHits(t, 'wombatine')).not.toContain(publicId);
      await restoreEvent(t.db, editor, publicId);
      expect(await searchHits(t, 'wombatine')).toContain(publicId);

      const imported = generatedRows(2, 'search-import', { title: 'Platypodic imported advisory' }).map((r, i) => ({
        ...r,
        title: `${r.title} ${i}`,
      }));
      await importEvents(t.db, Buffer.from(csvFile(imported)), { by: CLI });
      expect((await searchHits(t, 'platypodic')).sort()).toEqual(['search-import-0', 'search-import-1']);
      const renamed = imported.map((r) => ({ ...r, title: r.title.replace('Platypodic', 'Echidnoid') }));
      await importEvents(t.db, Buffer.from(csvFile(renamed)), { by: CLI });
      expect(await searchHits(t, 'platypodic')).toEqual([]);
      expect((await searchHits(t, 'echidnoid')).sort()).toEqual(['search-import-0', 'search-import-1']);

      const documents = await count(t.db, 'search_documents');
      const live =
        (await count(t.db, 'events')) - Number((await t.db('events').whereNotNull('deleted_at').count({ n: '*' }).first())?.n ?? 0);
      expect(documents).toBe(live + (await count(t.db, 'sources')));
      if (kind === 'sqlite') {
        // FTS5 compares its index with the content table and fails on any difference.
        await t.db.raw("insert into search_documents (search_documents, rank) values ('integrity-check', 1)");
      }
    });

    test('an import that changes only the text keeps the stored citations with their quotes; one that reorders them rewrites them', async () => {
      const editor = { id: null, displayName: 'Keep check' };
      const cite = (letter: string, title: string, quote: string, locator: string) => ({
        source_id: '',
        url: `https://keep-check.example/${letter}`,
        title,
        publisher: '',
        published_on: '',
        reliability: '',
        quote,
        locator,
      });
      const publicId = await createEvent(
        t.db,
        editor,
        parseEventForm({
          title: 'Keep check advisory',
          summary: 'Made up to test what an import keeps.',
          type: 'advisory',
          jurisdiction: 'US',
          actor: '',
          affected: [],
          vendors: ['kaspersky-lab'],
          occurred_on: '2021-05-04',
          effective_on: '',
          links: [],
          citations: [cite('a', 'Keep article', 'a quote with numbatine words', 'p. 4'), cite('b', 'Second keep article', '', '')],
          confirm_duplicate: '1',
          version: '',
        }),
      );
      const citationsOf = async () => (await getEvent(t.db, publicId)).citations.map((c) => [c.source.url, c.quote, c.locator]);
      const a = ['https://keep-check.example/a', 'a quote with numbatine words', 'p. 4'];
      const b = ['https://keep-check.example/b', '', ''];

      const record = eventCsvRecord(await getEvent(t.db, publicId));
      await importEvents(t.db, Buffer.from(csvFile([{ ...record, title: 'Keep check advisory, retitled' }])), { by: CLI });
      expect((await getEvent(t.db, publicId)).title).toBe('Keep check advisory, retitled');
      expect(await citationsOf()).toEqual([a, b]);
      expect(await searchHits(t, 'numbatine')).toContain(publicId);

      // Sources swapped round and a vendor added: written again, each quote staying with its source.
      const again = eventCsvRecord(await getEvent(t.db, publicId));
      await importEvents(
        t.db,
        Buffer.from(
          csvFile([
            {
              ...again,
              vendors: 'kaspersky-lab | keep-check-vendor',
              source_titles: 'Second keep article | Keep article',
              source_urls: 'https://keep-check.example/b | https://keep-check.example/a',
            },
          ]),
        ),
        { by: CLI },
      );
      const event = await getEvent(t.db, publicId);
      expect(event.vendors.map((v) => v.slug).sort()).toEqual(['kaspersky-lab', 'keep-check-vendor']);
      expect(await citationsOf()).toEqual([b, a]);
      expect(await searchHits(t, 'numbatine')).toContain(publicId);
      if (kind === 'sqlite') await t.db.raw("insert into search_documents (search_documents, rank) values ('integrity-check', 1)");
    });

    if (kind === 'sqlite') {
      test('replacing documents never scans the full-text table: every statement finds them by key', async () => {
        const statements: Array<{ sql: string; bindings: unknown[] }> = [];
        const listener = (q: { sql: string; bindings?: unknown[] }) => {
          if (/search_document/.test(q.sql)) statements.push({ sql: q.sql, bindings: q.bindings ?? [] });
        };
        const ids = (await t.db('events').whereNull('deleted_at').limit(5).pluck('id')).map(Number);
        const sourceIds = (await t.db('sources').limit(3).pluck('id')).map(Number);
        t.db.on('query', listener);
        try {
          await t.db.transaction(async (trx) => {
            await reindexEvents(trx, ids);
            await reindexSources(trx, sourceIds);
          });
        } finally {
          t.db.off('query', listener);
        }
        const removals = statements.filter((s) => /'delete'|delete from/i.test(s.sql));
        expect(removals.length).toBeGreaterThan(0);
        for (const s of statements) {
          const plan = (await t.db.raw(`explain query plan ${s.sql}`, s.bindings as never)) as Array<{ detail: string }>;
          const details = plan.map((p) => p.detail).join('\n');
          expect(details).not.toMatch(/SCAN search_documents/);
          expect(details).not.toMatch(/SCAN search_document_content/);
        }
      });
    }

    if (kind === 'postgres') {
      test('a large import refreshes the statistics of the tables it wrote, after its commit; a small one leaves them to autovacuum', async () => {
        const analyzed = async () =>
          (
            await t
              .db('pg_stat_user_tables')
              .whereIn('relname', ['events', 'event_vendors', 'search_documents'])
              .sum({ n: 'analyze_count' })
          )[0].n;
        const record = eventCsvRecord(await getEvent(t.db, (await t.db('events').whereNull('deleted_at').first('public_id')).public_id));
        const before = Number(await analyzed());
        await importEvents(t.db, Buffer.from(csvFile([{ ...record, title: 'Statistics check, small import' }])), { by: CLI });
        expect(Number(await analyzed())).toBe(before);
        // The threshold (10,000 rows by default) lowered to this one row.
        const again = eventCsvRecord(await getEvent(t.db, record.id));
        await importEvents(t.db, Buffer.from(csvFile([{ ...again, title: 'Statistics check, large import' }])), {
          by: CLI,
          refreshStatisticsAfter: 1,
        });
        // The statistics collector reports a little later than the ANALYZE ends.
        for (let i = 0; i < 50 && Number(await analyzed()) < before + 3; i++) await new Promise((r) => setTimeout(r, 100));
        expect(Number(await analyzed())).toBe(before + 3);
      });

      test('documents written again replace their rows by key; only an event left without one is deleted', async () => {
        const sql: string[] = [];
        const listener = (q: { sql: string }) => {
          if (/search_documents/.test(q.sql)) sql.push(q.sql);
        };
        const ids = (await t.db('events').whereNull('deleted_at').orderBy('id').limit(4).pluck('id')).map(Number);
        const before = Number((await t.db('search_documents').count({ n: '*' }))[0].n);
        await t.db('events').where('id', ids[0]).update({ title: 'Quokkaline retitled for the index' });
        t.db.on('query', listener);
        try {
          await t.db.transaction((trx) => reindexEvents(trx, ids));
        } finally {
          t.db.off('query', listener);
        }
        // No delete by (entity_type, entity_id in …), which a table without statistics yet planned as a scan.
        expect(sql.filter((s) => /^delete/i.test(s))).toEqual([]);
        expect(Number((await t.db('search_documents').count({ n: '*' }))[0].n)).toBe(before);
        const retitled = (await t.db('events').where('id', ids[0]).first('public_id')).public_id;
        expect([...new Set(await searchHits(t, 'quokkaline'))]).toEqual([retitled]);

        // A trashed event has no document: that one is deleted.
        await t.db('events').where('id', ids[1]).update({ deleted_at: '2026-11-30T00:00:00.000Z' });
        await t.db.transaction((trx) => reindexEvents(trx, [ids[1]]));
        expect(await t.db('search_documents').where({ entity_type: 'event', entity_id: ids[1] }).count({ n: '*' })).toEqual([{ n: '0' }]);
        await t.db('events').where('id', ids[1]).update({ deleted_at: null });
        await t.db.transaction((trx) => reindexEvents(trx, [ids[1]]));
      });
    }
  });
});

describeEachDatabase('npm run import on %s', (kind) => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpt-cli-'));
  });

  afterAll(async () => {
    await t?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the command as `npm run import` does, capturing what it prints. */
  function run(args: string[], onStderr?: (text: string) => void) {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      stdout: { write: (s: string) => out.push(s) },
      stderr: {
        write: (s: string) => {
          err.push(s);
          onStderr?.(s);
        },
      },
    };
    const done = runImportCommand(args, { database: t.database, io });
    return { done, out, err };
  }

  function writeFile(name: string, content: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  }

  test('imports a file, showing progress on stderr and the result on stdout', async () => {
    const file = writeFile('ok.csv', csvFile(generatedRows(50, `cli-${kind}`)));
    const dry = run([file, '--dry-run']);
    expect(await dry.done).toBe(0);
    expect(dry.out.join('')).toContain('50 rows. Would create 50, update 0, leave 0 unchanged.');
    const { done, out, err } = run([file]);
    expect(await done).toBe(0);
    expect(out.join('')).toMatch(/Imported .*ok\.csv: 50 created, 0 updated, 0 unchanged; new: 7 vendors, 3 actors, 50 sources\./);
    expect(err.join('')).toMatch(/importing: 100% \(50 rows\)/);
  });

  test('a file with bad rows lists them and ends with one line saying nothing was imported', async () => {
    const rows = generatedRows(3, `cli-bad-${kind}`);
    rows[1].type = 'not-a-type';
    const { done, err } = run([writeFile('bad.csv', csvFile(rows))]);
    expect(await done).toBe(1);
    const lines = err.join('').trim().split('\n');
    expect(lines).toContain(`  line 3 (cli-bad-${kind}-1): type: Choose the type of event.`);
    expect(lines[lines.length - 1]).toBe('1 row(s) cannot be imported; nothing was imported.');
  });

  test('a database that cannot be reached is one clear line, not an error object', async () => {
    const file = writeFile('unreachable.csv', csvFile(generatedRows(1, 'unreachable')));
    const err: string[] = [];
    // On SQLite: a path through a plain file, where no database can be made.
    const database =
      kind === 'postgres'
        ? { client: 'postgres' as const, connectionString: 'postgres://nobody@127.0.0.1:1/none' }
        : { client: 'sqlite' as const, filename: path.join(file, 'tracker.sqlite') };
    const code = await runImportCommand([file], {
      database,
      io: { stdout: { write: () => true }, stderr: { write: (s: string) => err.push(s) } },
    });
    expect(code).toBe(1);
    const text = err.join('');
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(text).toMatch(/nothing was imported/);
    expect(text).not.toMatch(/\bat .+\(.+:\d+:\d+\)|\{|Error:/);
  });

  if (kind === 'sqlite') {
    test('beside another process holding the write lock, it says it is waiting, then imports once the lock is free', async () => {
      const filename = (t.database as { filename: string }).filename;
      const holder = new sqlite3.Database(filename);
      const exec = (sql: string) => new Promise<void>((resolve, reject) => holder.run(sql, (e) => (e ? reject(e) : resolve())));
      await exec('begin immediate');
      await exec('update import_batches set filename = filename where 0 = 1');
      let release!: () => void;
      const waiting = new Promise<void>((resolve) => (release = resolve));
      const file = writeFile('waits.csv', csvFile(generatedRows(20, 'cli-waits')));
      const { done, out, err } = run([file], (s) => {
        if (s.includes('Waiting for the database')) release();
      });
      await waiting;
      expect(await count(t.db, 'events', { public_id: 'cli-waits-0' })).toBe(0);
      await exec('commit');
      await new Promise<void>((resolve) => holder.close(() => resolve()));
      expect(await done).toBe(0);
      expect(out.join('')).toContain('20 created');
      const text = err.join('');
      expect(text).toContain('Waiting for the database: another process is writing to it.');
      expect(text).toContain('The database is free; importing.');
      expect(text).not.toMatch(/SQLITE_BUSY|Error/);
      expect(await count(t.db, 'events', { public_id: 'cli-waits-19' })).toBe(1);
    });
  }
});
