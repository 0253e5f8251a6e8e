import ejs from 'ejs';
import request from 'supertest';
import { createTestUser } from '../helpers/users';
import { parseHtml, textOf } from '../helpers/dom';
import { signedInBrowser } from '../helpers/session';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';

jest.setTimeout(60000);

const ANA = { email: 'ana.reads@example.org', password: 'ana-password-000031', display_name: 'Ana Reads', role: 'analyst' as const };

describeEachDatabase('read paths on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind, { demo: false });
    const now = new Date().toISOString();
    await t
      .db('vendors')
      .insert({ slug: 'cached-vendor', name: 'First Name', aliases: '', description: '', version: 1, created_at: now, updated_at: now });
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  const anonymous = (path: string) => request(t.app).get(path);

  test('templates compile once per process: a page rendered again compiles nothing', async () => {
    const compile = jest.spyOn(ejs, 'compile');
    try {
      // A signed-in view is never served from the page cache, so it is rendered each time.
      await createTestUser(t.db, ANA);
      const ana = await signedInBrowser(t.app, ANA);
      expect((await ana.get('/vendors/cached-vendor')).status).toBe(200);
      compile.mockClear();
      expect((await ana.get('/vendors/cached-vendor')).status).toBe(200);
      expect(compile).not.toHaveBeenCalled();
    } finally {
      compile.mockRestore();
    }
  });

  test('an anonymous page served again shows a change written straight to the database (another process, an import)', async () => {
    const first = await anonymous('/vendors/cached-vendor');
    expect(first.status).toBe(200);
    expect(textOf(parseHtml(first.text), 'h1')).toBe('First Name');
    // Served again, the page is the same bytes.
    expect((await anonymous('/vendors/cached-vendor')).text).toBe(first.text);

    await t.db('vendors').where({ slug: 'cached-vendor' }).update({ name: 'Second Name' });
    const second = parseHtml((await anonymous('/vendors/cached-vendor')).text);
    expect(textOf(second, 'h1')).toBe('Second Name');
    expect(textOf(second, 'html')).not.toContain('First Name');

    // A change inside a transaction shows once it is committed.
    await t.db.transaction(async (trx) => {
      await trx('vendors').where({ slug: 'cached-vendor' }).update({ name: 'Third Name' });
    });
    expect(textOf(parseHtml((await anonymous('/vendors/cached-vendor')).text), 'h1')).toBe('Third Name');
    expect((await anonymous('/api/vendors')).body.vendors.map((v: { name: string }) => v.name)).toContain('Third Name');
  });

  test('a signed-in reader gets their own page, never an anonymous copy', async () => {
    await anonymous('/vendors/cached-vendor');
    const ana = await signedInBrowser(t.app, ANA);
    const page = parseHtml((await ana.get('/vendors/cached-vendor')).text);
    expect(textOf(page, 'form[action="/logout"] button')).toContain('Sign out');
    const again = parseHtml((await anonymous('/vendors/cached-vendor')).text);
    expect(again('form[action="/logout"]')).toHaveLength(0);
    expect(textOf(again, 'html')).not.toContain('Sign out');
  });

  test('error pages are not kept: a vendor created after a 404 is found', async () => {
    expect((await anonymous('/vendors/later-vendor')).status).toBe(404);
    const now = new Date().toISOString();
    await t
      .db('vendors')
      .insert({ slug: 'later-vendor', name: 'Later', aliases: '', description: '', version: 1, created_at: now, updated_at: now });
    expect((await anonymous('/vendors/later-vendor')).status).toBe(200);
  });
});
