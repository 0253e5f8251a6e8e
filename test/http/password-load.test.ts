import request from 'supertest';
import { createSetupToken } from '../../src/accounts/setupTokens';
import { AccountExists, createFirstAdmin, SetupLinkUsed, signIn, SignInRefused, TooManyAttempts } from '../../src/accounts/signIn';
import { accountKey } from '../../src/accounts/throttle';
import { FormInvalid } from '../../src/lib/input';
import type { PasswordHasher } from '../../src/accounts/password';
import { createPasswordHasher } from '../../src/accounts/password';
import { parseHtml, textOf } from '../helpers/dom';
import { anonymousBrowser, csrfTokenOf } from '../helpers/session';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { addTestUser } from '../helpers/users';

jest.setTimeout(60000);

const ADMIN = { email: 'load-admin@example.org', password: 'load-admin-password-1', display_name: 'Lou Load', role: 'admin' as const };
const FIRST = { email: 'first@example.org', display_name: 'First Admin', password: 'first-admin-password-1' };

/** A hasher that records every call and hashes nothing: shows what was refused before hashing. */
function countingHasher(): PasswordHasher & { calls: string[] } {
  const real = createPasswordHasher({ scryptN: 16, concurrency: 1, queue: 0 });
  const calls: string[] = [];
  return {
    calls,
    limiter: real.limiter,
    hash: async (password) => {
      calls.push('hash');
      return real.hash(password);
    },
    verify: async (password, stored) => {
      calls.push('verify');
      return real.verify(password, stored);
    },
    verifyWithoutAccount: async (password) => {
      calls.push('verifyWithoutAccount');
      return real.verifyWithoutAccount(password);
    },
  };
}

describeEachDatabase('refusing before hashing on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind, { demo: false });
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  beforeEach(async () => {
    await t.db('login_throttle').del();
  });

  it('first-admin setup: a wrong token and malformed input are refused without hashing; a good one hashes once', async () => {
    const hasher = countingHasher();
    const token = await createSetupToken(t.db);
    await expect(createFirstAdmin(t.db, hasher, 'not-the-token', FIRST)).rejects.toBeInstanceOf(SetupLinkUsed);
    await expect(createFirstAdmin(t.db, hasher, token, { ...FIRST, email: 'not an email' })).rejects.toBeInstanceOf(FormInvalid);
    expect(hasher.calls).toEqual([]);
    await createFirstAdmin(t.db, hasher, token, FIRST);
    expect(hasher.calls).toEqual(['hash']);

    // Once an account exists, even a fresh token is refused, without hashing, saying so.
    const fresh = await createSetupToken(t.db);
    const refused = createFirstAdmin(t.db, hasher, fresh, { ...FIRST, email: 'second@example.org' });
    await expect(refused).rejects.toBeInstanceOf(AccountExists);
    await expect(refused).rejects.toThrow('An account exists: sign in, or ask an admin');
    expect(hasher.calls).toEqual(['hash']);
  });

  it('the first-admin link says an account exists, on the page and on a post', async () => {
    if (!(await t.db('users').first())) await addTestUser(t, ADMIN);
    const token = await createSetupToken(t.db);
    const page = await request(t.app).get(`/setup?token=${encodeURIComponent(token)}`);
    expect(page.status).toBe(404);
    expect(textOf(parseHtml(page.text))).toContain('An account exists: sign in, or ask an admin');
    expect(textOf(parseHtml(page.text))).not.toContain('used or not valid');

    const browser = await anonymousBrowser(t.app);
    const post = await browser.post('/setup', { token, ...FIRST, email: 'late@example.org' });
    expect(post.status).toBe(410);
    expect(textOf(parseHtml(post.text))).toContain('An account exists: sign in, or ask an admin');
  });

  it('sign-in: empty or over-long passwords and locked accounts are refused without hashing', async () => {
    const hasher = countingHasher();
    await expect(signIn(t.db, hasher, { email: 'a@example.org', password: '', ip: '10.0.0.1' })).rejects.toBeInstanceOf(SignInRefused);
    await expect(signIn(t.db, hasher, { email: '', password: 'some-password-1', ip: '10.0.0.1' })).rejects.toBeInstanceOf(SignInRefused);
    await expect(signIn(t.db, hasher, { email: 'a@example.org', password: 'x'.repeat(100_000), ip: '10.0.0.1' })).rejects.toBeInstanceOf(
      SignInRefused,
    );
    await t.db('login_throttle').insert({
      key: accountKey('locked@example.org'),
      failures: 6,
      window_started_at: new Date().toISOString(),
      locked_until: new Date(Date.now() + 600_000).toISOString(),
    });
    await expect(signIn(t.db, hasher, { email: 'locked@example.org', password: 'some-password-1', ip: '10.0.0.1' })).rejects.toBeInstanceOf(
      TooManyAttempts,
    );
    expect(hasher.calls).toEqual([]);
    // An ordinary wrong guess does hash, so timing does not tell which emails exist.
    await expect(signIn(t.db, hasher, { email: 'nobody@example.org', password: 'some-password-1', ip: '10.0.0.1' })).rejects.toBeInstanceOf(
      SignInRefused,
    );
    expect(hasher.calls).toEqual(['verifyWithoutAccount']);
  });

  it('many parallel posts of a used setup link all answer 410 at once: none waits for, or is refused by, the hashers', async () => {
    const strict = await createTestApp(kind, { demo: false, config: { passwordHashing: { scryptN: 2 ** 16, concurrency: 1, queue: 0 } } });
    try {
      await addTestUser(strict, ADMIN);
      const token = await createSetupToken(strict.db);
      const browsers = await Promise.all(Array.from({ length: 12 }, () => anonymousBrowser(strict.app)));
      const results = await Promise.all(browsers.map((b, i) => b.post('/setup', { token, ...FIRST, email: `x${i}@example.org` })));
      // With one hasher and no queue, any two posts hashing at once would show a 503.
      expect(results.map((r) => r.status)).toEqual(results.map(() => 410));
    } finally {
      await strict.cleanup();
    }
  });
});

describeEachDatabase('bounded password hashing on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    // A real cost, so hashes overlap: two may run, one may wait, the rest are turned away.
    t = await createTestApp(kind, { demo: false, config: { passwordHashing: { scryptN: 2 ** 16, concurrency: 2, queue: 1 } } });
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  it('parallel failed sign-ins beyond the bound get 503 with Retry-After; /healthz is answered before the queue drains', async () => {
    const browsers = await Promise.all(Array.from({ length: 12 }, () => anonymousBrowser(t.app)));
    const order: string[] = [];
    const signIns = browsers.map((b, i) =>
      b.post('/login', { email: `nobody${i}@example.org`, password: 'a-wrong-password-1', next: '/' }).then((res) => {
        order.push(res.status === 503 ? 'busy' : 'checked');
        return res;
      }),
    );
    const health = request(t.app)
      .get('/healthz')
      .then((res) => {
        order.push('healthz');
        return res;
      });
    const [results, healthz] = await Promise.all([Promise.all(signIns), health]);

    expect(healthz.status).toBe(200);
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 401 || s === 503)).toBe(true);
    const busy = results.filter((r) => r.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    // At most two running plus one waiting at any moment: fewer than all twelve were checked.
    expect(statuses.filter((s) => s === 401).length).toBeLessThan(12);
    for (const res of busy) {
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(textOf(parseHtml(res.text))).toContain('busy checking passwords');
    }
    // The database kept answering while hashes ran: /healthz did not wait for the last check.
    expect(order.indexOf('healthz')).toBeLessThan(order.lastIndexOf('checked'));
  });

  it('the sign-in form still works once the burst is over', async () => {
    await t.db('login_throttle').del();
    await addTestUser(t, ADMIN);
    const browser = await anonymousBrowser(t.app);
    const res = await browser.post('/login', { email: ADMIN.email, password: ADMIN.password, next: '/' });
    expect(res.status).toBe(303);
    expect(csrfTokenOf((await browser.get('/')).text)).toBeTruthy();
  });
});
