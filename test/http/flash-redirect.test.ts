/**
 * Post/Redirect/Get with a slow session store. A browser follows a redirect as soon as it has
 * the status and headers, without reading the body. express-session used to send those before
 * the session holding the flash ("Vendor … added.") was stored, so the page the browser asked
 * for next could read the session as it was before the post, and come without its message
 * (seen in test/browser/analyst-flow.test.ts on a loaded machine). Here the store's writes are
 * made slow on purpose, and the next page is asked for the moment the redirect's headers arrive.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KnexSessionStore } from '../../src/http/session';
import { parseHtml, textOf } from '../helpers/dom';
import { type Browser, encodeForm, signedInBrowser } from '../helpers/session';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { createTestUser } from '../helpers/users';

const ANA = { email: 'ana.flash@example.org', password: 'ana-password-flash-01', display_name: 'Ana Flash', role: 'analyst' as const };

/** How long each session write is held back, as a loaded database might. */
const SLOW_WRITE_MS = 400;

interface Head {
  status: number;
  location: string | undefined;
}

/** Same-origin request headers, with the session cookie and a form body's type and length when given. */
function headersOf(port: number, cookie: string | undefined, body?: string): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` };
  if (cookie) headers.cookie = cookie;
  if (body !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['content-length'] = Buffer.byteLength(body);
  }
  return headers;
}

/** Sends a request and resolves as soon as the status and headers arrive (the body is left unread). */
function headOf(port: number, method: string, path: string, cookie: string | undefined, body?: string): Promise<Head> {
  return new Promise((resolve, reject) => {
    const headers = headersOf(port, cookie, body);
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      resolve({ status: res.statusCode ?? 0, location: res.headers.location });
      res.resume();
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** GETs a page (POSTs a form, given a body) and reads the answer whole. */
function pageOf(
  port: number,
  path: string,
  cookie: string | undefined,
  body?: string,
): Promise<{ status: number; retryAfter: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = headersOf(port, cookie, body);
    const method = body === undefined ? 'GET' : 'POST';
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function flashOf(html: string): string | null {
  const flash = parseHtml(html)('p.flash[role="status"]');
  return flash.length > 0 ? textOf(flash) : null;
}

describeEachDatabase('a redirect after a form on %s, with a slow session store', (kind) => {
  let t: TestApp;
  let ana: Browser;
  let server: http.Server;
  let port: number;
  let slowWrites: jest.SpyInstance | undefined;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await createTestUser(t.db, ANA);
    ana = await signedInBrowser(t.app, ANA);
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
    const set = KnexSessionStore.prototype.set;
    slowWrites = jest.spyOn(KnexSessionStore.prototype, 'set').mockImplementation(function (this: KnexSessionStore, ...args) {
      setTimeout(() => set.apply(this, args), SLOW_WRITE_MS);
    });
  });

  afterAll(async () => {
    slowWrites?.mockRestore();
    await new Promise((resolve) => server?.close(resolve));
    await t?.cleanup();
  });

  it('the page the browser asks for as soon as it sees the redirect shows the flash, once', async () => {
    // Every field of the vendor form, as a browser posts them.
    const form = encodeForm({
      name: 'Flash Guard',
      slug: 'flash-guard',
      aliases: '',
      country: '',
      website: '',
      description: '',
      _csrf: ana.token ?? '',
    });
    const head = await headOf(port, 'POST', '/vendors', ana.cookie, form);
    expect(head).toEqual({ status: 303, location: '/vendors/flash-guard' });
    const page = await pageOf(port, '/vendors/flash-guard', ana.cookie);
    expect(page.status).toBe(200);
    expect(flashOf(page.text)).toBe('Vendor “Flash Guard” added.');
    // Consumed by that page: the next one has none.
    expect(flashOf((await pageOf(port, '/vendors/flash-guard', ana.cookie)).text)).toBeNull();
  });

  it('when the changed session cannot be stored, the request gets the store’s 503 instead of the redirect', async () => {
    slowWrites?.mockImplementationOnce((_sid, _data, callback) => callback?.(new Error('the sessions table is away')));
    const form = encodeForm({
      name: 'Lost Flash',
      slug: 'lost-flash',
      aliases: '',
      country: '',
      website: '',
      description: '',
      _csrf: ana.token ?? '',
    });
    const res = await pageOf(port, '/vendors', ana.cookie, form);
    expect(res.status).toBe(503);
    expect(res.retryAfter).toMatch(/^\d+$/);
    expect(textOf(parseHtml(res.text))).toContain('Try again in a few seconds.');
    // The process carries on: the next page is served.
    expect((await pageOf(port, '/vendors/lost-flash', ana.cookie)).status).toBe(200);
  });

  it('a redirect that leaves the session as it was stores nothing', async () => {
    slowWrites?.mockClear();
    const before = await t.db('sessions').count({ n: '*' }).first();
    // An anonymous visitor sent to sign in: no session is made for them.
    expect(await headOf(port, 'GET', '/events/new', undefined)).toEqual({ status: 303, location: '/login?next=%2Fevents%2Fnew' });
    // A signed-in analyst sent on from the sign-in page, the session unchanged.
    expect(await headOf(port, 'GET', '/login', ana.cookie)).toEqual({ status: 303, location: '/' });
    expect(slowWrites?.mock.calls).toHaveLength(0);
    expect(await t.db('sessions').count({ n: '*' }).first()).toEqual(before);
  });
});
