import request from 'supertest';
import { createUser } from '../../src/accounts/service';
import { NewUserInput } from '../../src/accounts/schema';
import { parseForm } from '../../src/lib/input';
import { createTestUser } from '../helpers/users';
import { attrsOf, hrefsOf, parseHtml, rowsOf } from '../helpers/dom';
import { type Browser, signedInBrowser } from '../helpers/session';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';

jest.setTimeout(60000);

const ADA = { email: 'ada@example.org', password: 'ada-password-000009', display_name: 'Ada Admin', role: 'admin' as const };
const ANA = { email: 'ana@example.org', password: 'ana-password-000007', display_name: 'Ana Analyst', role: 'analyst' as const };

/** The rows of the account history table, newest first, each as its cells' text. */
function historyRows(html: string): string[] {
  return rowsOf(parseHtml(html)).map((cells) => cells.join(' '));
}

describeEachDatabase('account history on %s', (kind) => {
  let t: TestApp;
  let ada: Browser;
  let ana: Browser;

  beforeAll(async () => {
    t = await createTestApp(kind, { demo: false });
    await createTestUser(t.db, ADA);
    await createTestUser(t.db, ANA);
    ada = await signedInBrowser(t.app, ADA);
    ana = await signedInBrowser(t.app, ANA);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('records who created an account, changed its role, disabled and re-enabled it, and shows it to admins', async () => {
    expect(
      (
        await ada.post('/admin/users', {
          email: 'cy@example.org',
          display_name: 'Cy Clerk',
          role: 'analyst',
          password: 'cy-password-0000011',
        })
      ).status,
    ).toBe(303);
    const cy = await t.db('users').where({ email: 'cy@example.org' }).first('id');
    expect((await ada.post(`/admin/users/${cy.id}/role`, { role: 'admin' })).status).toBe(303);
    expect((await ada.post(`/admin/users/${cy.id}/disabled`, { disabled: 'true' })).status).toBe(303);
    expect((await ada.post(`/admin/users/${cy.id}/disabled`, { disabled: 'false' })).status).toBe(303);
    // Saving the role it already has changes nothing and records nothing.
    expect((await ada.post(`/admin/users/${cy.id}/role`, { role: 'admin' })).status).toBe(303);

    const page = await ada.get('/admin/users/history');
    expect(page.status).toBe(200);
    const rows = historyRows(page.text).filter((r) => r.includes('cy@example.org'));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/Changed status: disabled → active Ada Admin$/);
    expect(rows[1]).toMatch(/Changed status: active → disabled Ada Admin$/);
    expect(rows[2]).toMatch(/Changed role: analyst → admin Ada Admin$/);
    expect(rows[3]).toMatch(/Created email: cy@example.org display name: Cy Clerk role: analyst Ada Admin$/);
    expect(attrsOf(parseHtml(page.text), 'time', 'datetime')).toContainEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT.+/));
    expect(hrefsOf(parseHtml((await ada.get('/admin/users')).text))).toContain('/admin/users/history');
  });

  it('records accounts made from the command line as such', async () => {
    await createUser(
      t.db,
      parseForm(NewUserInput, { email: 'dee@example.org', display_name: 'Dee', role: 'analyst', password: 'dee-password-0000012' }),
    );
    const rows = historyRows((await ada.get('/admin/users/history')).text).filter((r) => r.includes('dee@example.org'));
    expect(rows).toEqual([expect.stringMatching(/Created .* command line$/)]);
  });

  it('a refused change (the last admin) records nothing', async () => {
    const before = await t.db('revisions').where({ entity_type: 'user' }).count({ n: '*' }).first();
    const others = await t.db('users').whereNot({ email: ADA.email }).where({ role: 'admin' }).select('id');
    for (const o of others) await ada.post(`/admin/users/${o.id}/role`, { role: 'analyst' });
    const ada_ = await t.db('users').where({ email: ADA.email }).first('id');
    const afterDemotions = Number((await t.db('revisions').where({ entity_type: 'user' }).count({ n: '*' }).first())?.n);
    expect((await ada.post(`/admin/users/${ada_.id}/role`, { role: 'analyst' })).status).toBe(409);
    expect(Number((await t.db('revisions').where({ entity_type: 'user' }).count({ n: '*' }).first())?.n)).toBe(afterDemotions);
    expect(afterDemotions).toBe(Number(before?.n) + others.length);
  });

  it('is for admins only', async () => {
    expect((await ana.get('/admin/users/history')).status).toBe(403);
    const anonymous = await request(t.app).get('/admin/users/history');
    expect([302, 303, 401]).toContain(anonymous.status);
  });

  it('refuses a malformed page key', async () => {
    expect((await ada.get('/admin/users/history?before=abc')).status).toBe(400);
  });
});
