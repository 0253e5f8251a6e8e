import request from 'supertest';
import { createSetupToken } from '../../src/accounts/setupTokens';
import { updateUser, type User } from '../../src/accounts/repo';
import { nowIso } from '../../src/lib/time';
import { fieldValue, parseHtml, textOf, textsOf } from '../helpers/dom';
import { fieldErrorOf, flashOf, formErrorOf } from '../helpers/domExtra';
import { anonymousBrowser, Browser, csrfTokenOf, sessionCookieLine, sessionCookieOf, signedInBrowser } from '../helpers/session';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { addTestUser } from '../helpers/users';

// Accounts are hashed at the test config's tiny scrypt cost, so the lockout tests' twenty
// sign-ins in a row are quick; the limit still allows for a busy machine.
jest.setTimeout(60000);

const REFUSED = 'That email and password do not match an active account.';

const ADMIN = { email: 'ada@example.org', password: 'admin-password-0001', display_name: 'Ada Admin', role: 'admin' as const };
const ANALYST = { email: 'ana@example.org', password: 'analyst-password-0002', display_name: 'Ana Analyst', role: 'analyst' as const };
const TOM = { email: 'tom@example.org', password: 'tom-password-00003', display_name: 'Tom Temp', role: 'analyst' as const };
const DORA = { email: 'dora@example.org', password: 'dora-password-0004', display_name: 'Dora Disabled', role: 'analyst' as const };

/** The message the sign-in form shows above the fields. */
const formError = (html: string) => formErrorOf(parseHtml(html));

/** The error shown beside a field rendered by partials/field. */
const fieldError = (html: string, name: string) => fieldErrorOf(parseHtml(html), name);

/** What the form field `name` holds on a page. */
const formValue = (html: string, name: string) => fieldValue(parseHtml(html), name);

/** The id part of a signed session cookie value (`vpt.sid=s%3A<id>.<signature>`). */
function sessionId(cookie: string | undefined): string {
  const m = /^vpt\.sid=s%3A([^.]+)\./.exec(cookie ?? '');
  if (!m) throw new Error(`Not a signed session cookie: ${cookie}`);
  return m[1];
}

describeEachDatabase('sign-in, sessions and accounts on %s', (kind) => {
  let t: TestApp;
  let admin: User;
  let analyst: User;
  let tom: User;
  let adminBrowser: Browser;

  beforeAll(async () => {
    t = await createTestApp(kind, { demo: false });
    [admin, analyst, tom] = await Promise.all([addTestUser(t, ADMIN), addTestUser(t, ANALYST), addTestUser(t, TOM)]);
    const dora = await addTestUser(t, DORA);
    await updateUser(t.db, dora.id, { disabled: true, now: nowIso() });
    adminBrowser = await signedInBrowser(t.app, ADMIN);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  /** POSTs the sign-in form from a fresh browser. */
  async function attemptSignIn(email: string, password: string, next = '/') {
    const browser = await anonymousBrowser(t.app);
    const res = await browser.post('/login', { email, password, next });
    return { browser, res };
  }

  // Each test starts with no failed sign-ins on record, whatever the previous test did.
  beforeEach(async () => {
    await t.db('login_throttle').del();
  });

  describe('signing in', () => {
    it('redirects to `next` with 303 and gives the browser a new session id', async () => {
      const browser = new Browser(t.app);
      const page = await browser.get('/login?next=%2Fevents%2Fnew');
      expect(page.status).toBe(200);
      const before = sessionCookieOf(page);
      expect(before).toBeDefined();
      expect(formValue(page.text, 'next')).toBe('/events/new');

      const res = await browser.post(
        '/login',
        { email: ANALYST.email, password: ANALYST.password, next: '/events/new' },
        { token: csrfTokenOf(page.text) },
      );
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/events/new');
      const after = sessionCookieOf(res);
      expect(after).toBeDefined();
      expect(sessionId(after)).not.toBe(sessionId(before));

      // The new session is signed in; the one from before sign-in is not (no session fixation).
      expect((await browser.get('/events/new')).status).toBe(200);
      const stale = await request(t.app)
        .get('/events/new')
        .set('Cookie', before as string);
      expect(stale.status).toBe(303);
      expect(stale.headers.location).toMatch(/^\/login\?next=/);
      // The CSRF token from before sign-in no longer works either.
      const oldToken = await browser.post('/logout', {}, { token: csrfTokenOf(page.text) });
      expect(oldToken.status).toBe(403);
      expect((await browser.get('/events/new')).status).toBe(200);
    });

    it('accepts the email in any letter case', async () => {
      const { res } = await attemptSignIn('  ANA@Example.ORG ', ANALYST.password);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/');
    });

    it('answers an unknown email and a wrong password with the same status and message', async () => {
      const unknown = await attemptSignIn('nobody@example.org', ANALYST.password, '/events/new');
      const wrong = await attemptSignIn(ANALYST.email, 'not-the-password-123', '/events/new');
      expect(unknown.res.status).toBe(401);
      expect(wrong.res.status).toBe(401);
      expect(formError(unknown.res.text)).toBe(REFUSED);
      expect(formError(wrong.res.text)).toBe(REFUSED);
      // The typed email stays in the form; the password never comes back.
      expect(formValue(wrong.res.text, 'email')).toBe(ANALYST.email);
      expect(formValue(wrong.res.text, 'password')).toBe('');
      // Nowhere in the bytes, not only not in the field.
      expect(wrong.res.text).not.toContain('not-the-password-123');
      // Where to go after signing in is kept for the next try.
      expect(formValue(wrong.res.text, 'next')).toBe('/events/new');
      // Neither browser is signed in.
      expect((await wrong.browser.get('/events/new')).status).toBe(303);
    });

    it('refuses a disabled account the same way, even with the right password', async () => {
      const { browser, res } = await attemptSignIn(DORA.email, DORA.password);
      expect(res.status).toBe(401);
      expect(formError(res.text)).toBe(REFUSED);
      expect((await browser.get('/events/new')).status).toBe(303);
    });

    it('locks an account after 5 failed attempts: 429 with Retry-After, even with the right password', async () => {
      for (let i = 1; i <= 4; i++) {
        const { res } = await attemptSignIn(ANALYST.email, `wrong-password-${i}-xyz`);
        expect(res.status).toBe(401);
      }
      const fifth = await attemptSignIn(ANALYST.email, 'wrong-password-5-xyz');
      expect([401, 429]).toContain(fifth.res.status);

      const { browser, res } = await attemptSignIn(ANALYST.email, ANALYST.password);
      expect(res.status).toBe(429);
      const retryAfter = Number(res.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThan(0);
      expect(formError(res.text)).toMatch(/Too many failed sign-ins/);
      expect((await browser.get('/events/new')).status).toBe(303);

      // Another account is not locked by it.
      expect((await attemptSignIn(TOM.email, TOM.password)).res.status).toBe(303);
    });

    it('locks a client address after 20 failed attempts across different emails', async () => {
      for (let i = 1; i <= 19; i++) {
        const { res } = await attemptSignIn(`guess-${i}@example.org`, 'some-password-123');
        expect(res.status).toBe(401);
      }
      const twentieth = await attemptSignIn('guess-20@example.org', 'some-password-123');
      expect([401, 429]).toContain(twentieth.res.status);

      const { res } = await attemptSignIn(ANALYST.email, ANALYST.password);
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    });

    it.each([
      ['//evil.example'],
      ['/\\evil.example'],
      ['https://evil.example/'],
      ['javascript:alert(1)'],
      ['\t//evil.example'],
      ['/\t/evil.example'],
      ['http:evil.example'],
    ])('sends next=%j to / after sign-in', async (next) => {
      const { res } = await attemptSignIn(ANALYST.email, ANALYST.password, next);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/');
    });

    it('does not offer a foreign `next` in the sign-in form, nor follow one when already signed in', async () => {
      const res = await request(t.app).get('/login?next=%2F%2Fevil.example');
      expect(res.status).toBe(200);
      expect(formValue(res.text, 'next')).toBe('/');
      // Not in the form, nor anywhere else in the bytes.
      expect(res.text).not.toContain('evil.example');
      const signedIn = await adminBrowser.get('/login?next=%2F%2Fevil.example');
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.location).toBe('/');
      const local = await adminBrowser.get('/login?next=%2Fvendors%3Forder%3Ddesc');
      expect(local.status).toBe(303);
      expect(local.headers.location).toBe('/vendors?order=desc');
    });
  });

  describe('signed-out visitors', () => {
    it('are sent from /events/new to the sign-in page, and back after signing in', async () => {
      const browser = new Browser(t.app);
      const res = await browser.get('/events/new');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/login?next=%2Fevents%2Fnew');

      const login = await browser.get(res.headers.location);
      expect(login.status).toBe(200);
      const next = formValue(login.text, 'next');
      expect(next).toBe('/events/new');
      const signIn = await browser.post('/login', { email: TOM.email, password: TOM.password, next }, { token: csrfTokenOf(login.text) });
      expect(signIn.status).toBe(303);
      expect(signIn.headers.location).toBe('/events/new');
    });
  });

  describe('signing out', () => {
    it('ends the session: the old cookie no longer signs anyone in', async () => {
      const browser = await signedInBrowser(t.app, TOM);
      const cookie = browser.cookie as string;
      expect((await request(t.app).get('/events/new').set('Cookie', cookie)).status).toBe(200);

      const res = await browser.post('/logout');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/');

      const old = await request(t.app).get('/events/new').set('Cookie', cookie);
      expect(old.status).toBe(303);
      expect(old.headers.location).toBe('/login?next=%2Fevents%2Fnew');
      const again = await browser.get('/events/new');
      expect(again.status).toBe(303);
    });

    it('needs the CSRF token, so another site cannot sign a user out', async () => {
      const browser = await signedInBrowser(t.app, TOM);
      const res = await browser.post('/logout', {}, { token: null });
      expect(res.status).toBe(403);
      expect((await browser.get('/events/new')).status).toBe(200);
    });
  });

  describe('the session cookie', () => {
    it('is HttpOnly and SameSite=Lax, and not Secure unless configured', async () => {
      const { res } = await attemptSignIn(TOM.email, TOM.password);
      const line = sessionCookieLine(res) as string;
      expect(line).toBeDefined();
      expect(line).toMatch(/;\s*HttpOnly/i);
      expect(line).toMatch(/;\s*SameSite=Lax/i);
      expect(line).toMatch(/;\s*Path=\//i);
      expect(line).not.toMatch(/;\s*Secure/i);
    });

    it('is Secure when config.cookieSecure is set', async () => {
      const secure = await createTestApp(kind, { demo: false, config: { cookieSecure: true, trustProxy: 1 } });
      try {
        // Behind a TLS-terminating proxy that says the request came over HTTPS.
        const res = await request(secure.app).get('/login').set('X-Forwarded-Proto', 'https');
        expect(res.status).toBe(200);
        const line = sessionCookieLine(res) as string;
        expect(line).toBeDefined();
        expect(line).toMatch(/;\s*Secure/i);
        expect(line).toMatch(/;\s*HttpOnly/i);
        expect(line).toMatch(/;\s*SameSite=Lax/i);
      } finally {
        await secure.cleanup();
      }
    });
  });

  describe('the idle timeout', () => {
    /** The stored expiry of a browser's session, in ms. */
    async function storedExpiry(browser: Browser): Promise<number> {
      const row = await t
        .db('sessions')
        .where({ sid: sessionId(browser.cookie) })
        .first('expired');
      return new Date(row.expired as string | Date).getTime();
    }

    /** The session updates sent while `fn` runs. */
    async function sessionUpdatesDuring(fn: () => Promise<void>): Promise<number> {
      let updates = 0;
      const count = (q: { sql: string }) => {
        if (/^update\s+["`]?sessions["`]?\s/i.test(q.sql)) updates += 1;
      };
      t.db.on('query', count);
      try {
        await fn();
      } finally {
        t.db.off('query', count);
      }
      return updates;
    }

    it('page views a moment apart roll the cookie without writing the session each time', async () => {
      const browser = await signedInBrowser(t.app, ANALYST);
      const before = await storedExpiry(browser);
      const updates = await sessionUpdatesDuring(async () => {
        for (const path of ['/', '/vendors', '/events/new']) {
          const res = await browser.get(path);
          expect(res.status).toBe(200);
          // The browser's copy of the idle timeout moves with every answer.
          expect(sessionCookieLine(res)).toMatch(/;\s*Expires=/i);
        }
      });
      expect(updates).toBe(0);
      expect(await storedExpiry(browser)).toBe(before);
    });

    it('extends the stored expiry once it trails by more than a minute, and the session goes on', async () => {
      const browser = await signedInBrowser(t.app, ANALYST);
      const idleMs = t.config.sessionIdleMinutes * 60_000;
      // As if the last write was five minutes ago.
      const behind = new Date(Date.now() + idleMs - 5 * 60_000);
      await t
        .db('sessions')
        .where({ sid: sessionId(browser.cookie) })
        .update({ expired: behind.toISOString() });
      const updates = await sessionUpdatesDuring(async () => {
        expect((await browser.get('/events/new')).status).toBe(200);
      });
      expect(updates).toBe(1);
      const extended = await storedExpiry(browser);
      expect(extended).toBeGreaterThan(behind.getTime() + 4 * 60_000);
      expect(extended).toBeLessThanOrEqual(Date.now() + idleMs);
    });
  });

  describe('user administration', () => {
    it('is refused to analysts (403) and shown to admins', async () => {
      const analystBrowser = await signedInBrowser(t.app, ANALYST);
      const refused = await analystBrowser.get('/admin/users');
      expect(refused.status).toBe(403);
      // Not shown, and not hidden anywhere in the bytes either.
      expect(refused.text).not.toContain(ADMIN.email);

      const anonymous = await request(t.app).get('/admin/users');
      expect(anonymous.status).toBe(303);
      expect(anonymous.headers.location).toBe('/login?next=%2Fadmin%2Fusers');

      const page = await adminBrowser.get('/admin/users');
      expect(page.status).toBe(200);
      expect(textsOf(parseHtml(page.text), 'td')).toEqual(expect.arrayContaining([ADMIN.email, ANALYST.email, TOM.email, DORA.email]));
    });

    it('lets an admin add a user, who can then sign in', async () => {
      const before = await t.db('users').count({ n: '*' }).first();
      const res = await adminBrowser.post('/admin/users', {
        email: 'New.Person@Example.org',
        display_name: 'New Person',
        role: 'analyst',
        password: 'new-person-password-1',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/admin/users');
      const page = await adminBrowser.get('/admin/users');
      expect(flashOf(parseHtml(page.text))).toBe('Account created for new.person@example.org.');
      const row = await t.db('users').where({ email: 'new.person@example.org' }).first();
      expect(row).toMatchObject({ display_name: 'New Person', role: 'analyst' });
      expect(row.password_hash).not.toContain('new-person-password-1');
      // Hashed at the configured cost (SCRYPT_N; the tests' tiny one), not the default.
      expect(row.password_hash.split('$').slice(0, 2)).toEqual(['scrypt', String(t.config.passwordHashing?.scryptN)]);
      const after = await t.db('users').count({ n: '*' }).first();
      expect(Number(after?.n)).toBe(Number(before?.n) + 1);

      const { res: signIn } = await attemptSignIn('new.person@example.org', 'new-person-password-1');
      expect(signIn.status).toBe(303);
    });

    it('refuses a weak password with 422, a message beside the field and the typed values kept', async () => {
      const before = await t.db('users').count({ n: '*' }).first();
      const res = await adminBrowser.post('/admin/users', {
        email: 'weak.password@example.org',
        display_name: 'Weak Password',
        role: 'analyst',
        password: 'short',
      });
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'password')).toBe('Use at least 12 characters.');
      expect(formValue(res.text, 'email')).toBe('weak.password@example.org');
      expect(formValue(res.text, 'display_name')).toBe('Weak Password');
      expect(formValue(res.text, 'password')).toBe('');
      expect(parseHtml(res.text)('[value="short"]')).toHaveLength(0);
      const after = await t.db('users').count({ n: '*' }).first();
      expect(Number(after?.n)).toBe(Number(before?.n));
    });

    it('refuses an email that is already taken (in any letter case) with 422 and the typed email kept', async () => {
      const before = await t.db('users').count({ n: '*' }).first();
      const res = await adminBrowser.post('/admin/users', {
        email: 'ANA@example.org',
        display_name: 'Second Ana',
        role: 'admin',
        password: 'another-password-99',
      });
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'email')).toBe('An account with this email already exists.');
      expect(formValue(res.text, 'email')).toBe('ANA@example.org');
      expect(formValue(res.text, 'display_name')).toBe('Second Ana');
      const after = await t.db('users').count({ n: '*' }).first();
      expect(Number(after?.n)).toBe(Number(before?.n));
      expect((await t.db('users').where({ email: ANALYST.email }).first()).display_name).toBe('Ana Analyst');
    });

    it('does not let an analyst add a user', async () => {
      const analystBrowser = await signedInBrowser(t.app, ANALYST);
      const res = await analystBrowser.post('/admin/users', {
        email: 'sneaky@example.org',
        display_name: 'Sneaky',
        role: 'admin',
        password: 'sneaky-password-123',
      });
      expect(res.status).toBe(403);
      expect(await t.db('users').where({ email: 'sneaky@example.org' }).first()).toBeUndefined();
    });

    it('lets an admin change a role, effective at the user’s next request', async () => {
      await updateUser(t.db, tom.id, { role: 'analyst', disabled: false, now: nowIso() });
      const tomBrowser = await signedInBrowser(t.app, TOM);
      expect((await tomBrowser.get('/admin/users')).status).toBe(403);

      const promote = await adminBrowser.post(`/admin/users/${tom.id}/role`, { role: 'admin' });
      expect(promote.status).toBe(303);
      expect((await t.db('users').where({ id: tom.id }).first()).role).toBe('admin');
      expect((await tomBrowser.get('/admin/users')).status).toBe(200);

      const demote = await adminBrowser.post(`/admin/users/${tom.id}/role`, { role: 'analyst' });
      expect(demote.status).toBe(303);
      expect((await t.db('users').where({ id: tom.id }).first()).role).toBe('analyst');
      expect((await tomBrowser.get('/admin/users')).status).toBe(403);
    });

    it('refuses an unknown role', async () => {
      const res = await adminBrowser.post(`/admin/users/${analyst.id}/role`, { role: 'superuser' });
      expect(res.status).toBe(400);
      expect((await t.db('users').where({ id: analyst.id }).first()).role).toBe('analyst');
    });

    it('lets an admin disable an account: its open session stops working at once', async () => {
      await updateUser(t.db, tom.id, { role: 'analyst', disabled: false, now: nowIso() });
      const tomBrowser = await signedInBrowser(t.app, TOM);
      expect((await tomBrowser.get('/events/new')).status).toBe(200);
      const token = tomBrowser.token;

      const res = await adminBrowser.post(`/admin/users/${tom.id}/disabled`, { disabled: 'true' });
      expect(res.status).toBe(303);
      expect(!!(await t.db('users').where({ id: tom.id }).first()).disabled).toBe(true);

      const page = await tomBrowser.get('/events/new');
      expect(page.status).toBe(303);
      expect(page.headers.location).toMatch(/^\/login\?next=/);
      const before = await t.db('vendors').count({ n: '*' }).first();
      const write = await tomBrowser.post(
        '/vendors',
        { name: 'Written While Disabled', slug: '', aliases: '', country: '', website: '', description: '' },
        { token },
      );
      expect(write.status).toBe(303);
      expect(write.headers.location).toMatch(/^\/login/);
      const after = await t.db('vendors').count({ n: '*' }).first();
      expect(Number(after?.n)).toBe(Number(before?.n));

      const { res: signIn } = await attemptSignIn(TOM.email, TOM.password);
      expect(signIn.status).toBe(401);
      expect(formError(signIn.text)).toBe(REFUSED);

      // Enabled again, the account can sign in.
      expect((await adminBrowser.post(`/admin/users/${tom.id}/disabled`, { disabled: 'false' })).status).toBe(303);
      await t.db('login_throttle').del();
      expect((await attemptSignIn(TOM.email, TOM.password)).res.status).toBe(303);
    });

    it('never lets the last active admin be demoted or disabled', async () => {
      // Tom is an admin but disabled: Ada is still the only *active* admin.
      await updateUser(t.db, tom.id, { role: 'admin', disabled: true, now: nowIso() });
      const activeAdmins = await t.db('users').where({ role: 'admin', disabled: false }).select('id');
      expect(activeAdmins.map((r: { id: number }) => Number(r.id))).toEqual([admin.id]);

      const demote = await adminBrowser.post(`/admin/users/${admin.id}/role`, { role: 'analyst' });
      expect(demote.status).toBe(409);
      expect(textOf(parseHtml(demote.text), '.error-page')).toContain('This is the last active admin');
      const disable = await adminBrowser.post(`/admin/users/${admin.id}/disabled`, { disabled: 'true' });
      expect(disable.status).toBe(409);
      const row = await t.db('users').where({ id: admin.id }).first();
      expect(row.role).toBe('admin');
      expect(!!row.disabled).toBe(false);
      expect((await adminBrowser.get('/admin/users')).status).toBe(200);

      // With a second active admin, the first may step down.
      await updateUser(t.db, tom.id, { role: 'admin', disabled: false, now: nowIso() });
      const stepDown = await adminBrowser.post(`/admin/users/${admin.id}/role`, { role: 'analyst' });
      expect(stepDown.status).toBe(303);
      expect((await t.db('users').where({ id: admin.id }).first()).role).toBe('analyst');
      // ...and the one left is now the last.
      const tomBrowser = await signedInBrowser(t.app, TOM);
      const last = await tomBrowser.post(`/admin/users/${tom.id}/disabled`, { disabled: 'true' });
      expect(last.status).toBe(409);
      expect(!!(await t.db('users').where({ id: tom.id }).first()).disabled).toBe(false);

      await updateUser(t.db, admin.id, { role: 'admin', disabled: false, now: nowIso() });
      await updateUser(t.db, tom.id, { role: 'analyst', disabled: false, now: nowIso() });
    });
  });
});

describeEachDatabase('first-admin setup on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind, { demo: false });
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  const userCount = async () => Number((await t.db('users').count({ n: '*' }).first())?.n);
  const FIRST = { email: 'First.Admin@Example.org', display_name: 'First Admin', password: 'first-admin-password-1' };

  it('creates the first admin once with a valid token; a wrong or used token is refused; then /setup is gone', async () => {
    expect(await userCount()).toBe(0);
    const token = await createSetupToken(t.db);

    // A wrong token: no form, and a post is refused without creating anyone.
    expect((await request(t.app).get('/setup?token=not-the-token')).status).toBe(404);
    expect((await request(t.app).get('/setup')).status).toBe(404);
    const intruder = await anonymousBrowser(t.app);
    const wrong = await intruder.post('/setup', { token: 'not-the-token', ...FIRST, email: 'intruder@example.org' });
    expect(wrong.status).toBeGreaterThanOrEqual(400);
    expect(wrong.status).toBeLessThan(500);
    expect(await userCount()).toBe(0);

    // The right token: the form, then an admin account and a signed-in session.
    const browser = new Browser(t.app);
    const form = await browser.get(`/setup?token=${encodeURIComponent(token)}`);
    expect(form.status).toBe(200);
    expect(formValue(form.text, 'token')).toBe(token);
    const res = await browser.post('/setup', { token, ...FIRST }, { token: csrfTokenOf(form.text) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/users');
    expect(await userCount()).toBe(1);
    const row = await t.db('users').first();
    expect(row).toMatchObject({ email: 'first.admin@example.org', display_name: 'First Admin', role: 'admin' });
    expect(!!row.disabled).toBe(false);
    const page = await browser.get('/admin/users');
    expect(page.status).toBe(200);
    expect(flashOf(parseHtml(page.text))).toContain('Welcome, First Admin.');

    // The same token again: refused, nobody added.
    const second = await anonymousBrowser(t.app);
    const again = await second.post('/setup', {
      token,
      email: 'second@example.org',
      display_name: 'Second',
      password: 'second-admin-password-2',
    });
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.status).toBeLessThan(500);
    expect(await userCount()).toBe(1);
    expect((await second.get('/admin/users')).status).toBe(303);

    // Once a user exists, /setup is not found, even with a freshly made token.
    expect((await request(t.app).get(`/setup?token=${encodeURIComponent(token)}`)).status).toBe(404);
    const fresh = await createSetupToken(t.db);
    expect((await request(t.app).get(`/setup?token=${encodeURIComponent(fresh)}`)).status).toBe(404);
    const late = await second.post('/setup', {
      token: fresh,
      email: 'late@example.org',
      display_name: 'Late',
      password: 'late-admin-password-3',
    });
    expect(late.status).toBeGreaterThanOrEqual(400);
    expect(late.status).toBeLessThan(500);
    expect(await userCount()).toBe(1);
  });

  it('refuses a weak password on the setup form with 422 and keeps the typed values', async () => {
    // A database of its own, so no user exists yet.
    const fresh = await createTestApp(kind, { demo: false });
    try {
      const token = await createSetupToken(fresh.db);
      const browser = new Browser(fresh.app);
      const form = await browser.get(`/setup?token=${encodeURIComponent(token)}`);
      const res = await browser.post(
        '/setup',
        { token, email: 'weak@example.org', display_name: 'Weak Admin', password: 'aaaaaaaaaaaaaa' },
        { token: csrfTokenOf(form.text) },
      );
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'password')).toBe('Use more than three different characters.');
      expect(formValue(res.text, 'email')).toBe('weak@example.org');
      expect(formValue(res.text, 'display_name')).toBe('Weak Admin');
      expect(Number((await fresh.db('users').count({ n: '*' }).first())?.n)).toBe(0);
      // The token was not used up by the failed attempt.
      expect((await request(fresh.app).get(`/setup?token=${encodeURIComponent(token)}`)).status).toBe(200);
    } finally {
      await fresh.cleanup();
    }
  });
});
