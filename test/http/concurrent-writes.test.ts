import { createApp } from '../../src/app';
import { createDb, type Db } from '../../src/db/knex';
import { createLogger } from '../../src/lib/logger';
import { createTestUser } from '../helpers/users';
import { parseHtml, textOf } from '../helpers/dom';
import { type Browser, type FormBody, signedInBrowser } from '../helpers/session';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';

// Several sign-ins per database, each running scrypt.
jest.setTimeout(120000);

const ANA = { email: 'ana@example.org', password: 'ana-password-000007', display_name: 'Ana Analyst', role: 'analyst' as const };
const ADA = { email: 'ada@example.org', password: 'ada-password-000009', display_name: 'Ada Admin', role: 'admin' as const };

/** Sends every request at the same moment and collects the status codes and the pages' text, in order. */
async function together(requests: Array<() => PromiseLike<{ status: number; text: string }>>) {
  const responses = await Promise.all(requests.map((send) => send()));
  return { statuses: responses.map((r) => r.status), texts: responses.map((r) => textOf(parseHtml(r.text))) };
}

function count(statuses: number[], status: number): number {
  return statuses.filter((s) => s === status).length;
}

describeEachDatabase('concurrent writes from two app instances on %s', (kind) => {
  let t: TestApp;
  let secondDb: Db;
  /** Ana signed in to each instance, as with two processes behind a load balancer. */
  let browsers: Browser[];
  let admin: Browser;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await Promise.all([createTestUser(t.db, ANA), createTestUser(t.db, ADA)]);
    secondDb = createDb(t.database);
    const second = createApp({ db: secondDb, config: t.config, logger: createLogger(t.config) });
    browsers = [await signedInBrowser(t.app, ANA), await signedInBrowser(second, ANA)];
    admin = await signedInBrowser(second, ADA);
  });
  afterAll(async () => {
    await secondDb?.destroy();
    await t?.cleanup();
  });

  /** `n` posts of the same form, alternating between the two instances. */
  const posts = (n: number, path: string, body: (i: number) => FormBody) =>
    Array.from({ length: n }, (_, i) => () => browsers[i % 2].post(path, body(i)));

  it('vendors with the same slug: one is created, the others are told the slug is taken', async () => {
    const { statuses, texts } = await together(
      posts(6, '/vendors', () => ({
        name: 'Racing Security',
        slug: 'racing-security',
        aliases: '',
        country: '',
        website: '',
        description: '',
      })),
    );
    expect(count(statuses, 303)).toBe(1);
    expect(count(statuses, 422)).toBe(5);
    for (const text of texts.filter((_, i) => statuses[i] === 422)) expect(text).toContain('The slug "racing-security" is taken');
    expect(await t.db('vendors').where({ slug: 'racing-security' }).count({ n: '*' }).first()).toEqual({
      n: kind === 'postgres' ? '1' : 1,
    });
  });

  it('actors with the same slug: one is created, the others are told the slug is taken', async () => {
    const { statuses } = await together(
      posts(6, '/actors', () => ({ name: 'Racing Agency', slug: 'racing-agency', kind: 'regulator', jurisdiction: '', description: '' })),
    );
    expect(count(statuses, 303)).toBe(1);
    expect(count(statuses, 422)).toBe(5);
  });

  it('a double-click on "Add user": one account, the other request is told it exists', async () => {
    const form = { email: 'twice@example.org', display_name: 'Clicked Twice', role: 'analyst', password: 'twice-password-0001' };
    const { statuses, texts } = await together([() => admin.post('/admin/users', form), () => admin.post('/admin/users', form)]);
    expect([...statuses].sort()).toEqual([303, 422]);
    expect(texts[statuses.indexOf(422)]).toContain('An account with this email already exists.');
    expect(await t.db('users').where({ email: 'twice@example.org' }).count({ n: '*' }).first()).toEqual({
      n: kind === 'postgres' ? '1' : 1,
    });
  });

  const event = (title: string, url: string): FormBody => ({
    title,
    summary: 'Two analysts recorded the same announcement at the same moment.',
    type: 'advisory',
    jurisdiction: 'us',
    actor: 'us-fcc',
    vendors: ['kaspersky-lab'],
    occurred_on: '2025-02-03',
    confirm_duplicate: '1',
    citation_source_id: [''],
    citation_url: [url],
    citation_title: ['The same announcement'],
    citation_publisher: ['The Regulator'],
    citation_published_on: ['2025-02-03'],
    citation_reliability: ['A'],
    citation_quote: ['A quote.'],
    citation_locator: [''],
  });

  it('events with the same date and title all save, each under its own public id', async () => {
    const { statuses } = await together(
      posts(6, '/events', (i) => event('Regulator repeats its warning', `https://regulator.example/repeat/${i}`)),
    );
    expect(statuses).toEqual(Array(6).fill(303));
    const ids = (await t.db('events').where('public_id', 'like', '2025-02-03-regulator-repeats-its-warning%').pluck('public_id')).sort();
    const base = '2025-02-03-regulator-repeats-its-warning';
    expect(ids).toEqual([base, `${base}-2`, `${base}-3`, `${base}-4`, `${base}-5`, `${base}-6`].sort());
  });

  it('new events citing the same new source URL all save and share one source', async () => {
    const url = 'https://regulator.example/one-notice';
    const { statuses } = await together(posts(6, '/events', (i) => event(`Agency ${i} cites the notice`, url)));
    expect(statuses).toEqual(Array(6).fill(303));
    const sources = await t.db('sources').where({ url }).select('id');
    expect(sources).toHaveLength(1);
    const citing = await t.db('citations').where({ source_id: sources[0].id }).count({ n: '*' }).first();
    expect(Number(citing?.n)).toBe(6);
  });

  it('an edit race between the instances: one save wins, the others get the conflict page, none fails', async () => {
    const vendor = await t.db('vendors').where({ slug: 'kaspersky-lab' }).first();
    const { statuses } = await together(
      posts(6, '/vendors/kaspersky-lab', (i) => ({
        version: vendor.version,
        name: vendor.name,
        aliases: `Edit ${i}`,
        country: vendor.country ?? '',
        website: vendor.website ?? '',
        description: vendor.description,
      })),
    );
    expect(count(statuses, 303)).toBe(1);
    expect(count(statuses, 409)).toBe(5);
  });

  it('a bulk write from another process (an import) beside live writes: the writes wait their turn, none fails', async () => {
    const importer = createDb(t.database);
    try {
      // Import-shaped: one transaction, reading then writing in batches, for a while.
      let batches = 0;
      const bulk = importer.transaction(async (trx) => {
        for (let batch = 0; batch < 20; batch++) {
          await trx('vendors').where('slug', 'like', 'imported-%').count({ n: '*' });
          await trx('vendors').insert(
            Array.from({ length: 50 }, (_, i) => ({
              slug: `imported-${batch}-${i}`,
              name: `Imported ${batch}-${i}`,
              aliases: '',
              description: '',
              version: 1,
              created_at: '2026-11-29T00:00:00.000Z',
              updated_at: '2026-11-29T00:00:00.000Z',
            })),
          );
          batches++;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      });
      while (batches === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const live = together(
        posts(8, '/events', (i) => event(`Written during the import ${i}`, `https://regulator.example/during-import/${i}`)),
      );
      const [, { statuses }] = await Promise.all([bulk, live]);
      expect(statuses).toEqual(Array(8).fill(303));
      expect(Number((await t.db('vendors').where('slug', 'like', 'imported-%').count({ n: '*' }).first())?.n)).toBe(1000);
    } finally {
      await importer.destroy();
    }
  });

  it('many event creates across both instances: none fails', async () => {
    const { statuses } = await together(
      posts(16, '/events', (i) => event(`Busy day announcement ${i}`, `https://regulator.example/busy/${i}`)),
    );
    expect(statuses).toEqual(Array(16).fill(303));
  });
});
