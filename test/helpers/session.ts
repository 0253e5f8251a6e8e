import type { Express } from 'express';
import request from 'supertest';
import { SESSION_COOKIE } from '../../src/http/session';

/** A form body: a repeated field is an array; undefined fields are left out. */
export type FormBody = Record<string, string | number | ReadonlyArray<string | number> | undefined>;

export type Agent = ReturnType<typeof request.agent>;

/** URL-encodes a form the way a browser does: a repeated field is sent once per value, in order. */
export function encodeForm(body: FormBody): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, String(v));
  }
  return params.toString();
}

/** The CSRF token of the first form on a page (`name="_csrf" value="..."`). */
export function csrfTokenOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('The page has no _csrf field');
  return m[1];
}

/** The `vpt.sid=...` pair a response sets, or undefined when it sets none. */
export function sessionCookieOf(res: request.Response): string | undefined {
  const header = res.headers['set-cookie'] as unknown as string[] | string | undefined;
  const cookies = Array.isArray(header) ? header : header ? [header] : [];
  const line = cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  return line?.split(';')[0];
}

/** The full Set-Cookie line of the session cookie, attributes included. */
export function sessionCookieLine(res: request.Response): string | undefined {
  const header = res.headers['set-cookie'] as unknown as string[] | string | undefined;
  const cookies = Array.isArray(header) ? header : header ? [header] : [];
  return cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
}

export interface Credentials {
  email: string;
  password: string;
}

/**
 * One browser: keeps its cookies, knows its session's CSRF token and posts forms with it.
 * Anonymous until `signIn` is called.
 */
export class Browser {
  readonly agent: Agent;
  /** The CSRF token of the current session, once a page has been fetched. */
  token: string | null = null;
  /** The session cookie (`vpt.sid=...`) last set by the app. */
  cookie: string | undefined;

  constructor(readonly app: Express) {
    this.agent = request.agent(app);
  }

  get(path: string) {
    return this.agent.get(path);
  }

  /** Loads a page with a form and keeps its CSRF token. */
  async fetchToken(path = '/login'): Promise<string> {
    const res = await this.agent.get(path);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}, expected a page with a form`);
    this.noteCookie(res);
    this.token = csrfTokenOf(res.text);
    return this.token;
  }

  /** Signs in through the login form; afterwards `token` is the new session's token. */
  async signIn(user: Credentials): Promise<request.Response> {
    await this.fetchToken('/login');
    const res = await this.post('/login', { email: user.email, password: user.password, next: '/' });
    if (res.status !== 303) throw new Error(`Sign-in as ${user.email} answered ${res.status}`);
    this.noteCookie(res);
    // Sign-in starts a new session with a new token; any signed-in page carries it (in the
    // sign-out form). The search form is a cheap one: the home page draws the world map,
    // which costs a second or more the first time in each test file.
    await this.fetchToken('/search');
    return res;
  }

  /**
   * POSTs a urlencoded form with this session's CSRF token, unless `token` says otherwise
   * (null: no token; a string: that token).
   */
  post(path: string, body: FormBody = {}, options: { token?: string | null } = {}) {
    const token = options.token === undefined ? this.token : options.token;
    const form = token === null ? body : { ...body, _csrf: token };
    return this.agent.post(path).type('form').send(encodeForm(form));
  }

  private noteCookie(res: request.Response): void {
    const cookie = sessionCookieOf(res);
    if (cookie) this.cookie = cookie;
  }
}

/** A browser signed in as `user`. */
export async function signedInBrowser(app: Express, user: Credentials): Promise<Browser> {
  const browser = new Browser(app);
  await browser.signIn(user);
  return browser;
}

/** A browser that has loaded the sign-in page, so it has an anonymous session and a valid token. */
export async function anonymousBrowser(app: Express): Promise<Browser> {
  const browser = new Browser(app);
  await browser.fetchToken('/login');
  return browser;
}

/** Escapes text the way EJS's `<%= %>` does, to look for typed values in a page. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}
