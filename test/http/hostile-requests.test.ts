import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app';
import { EVENT_CSV_COLUMNS } from '../../src/events/csv';
import { anonymousBrowser, type Browser, signedInBrowser } from '../helpers/session';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { addTestUser } from '../helpers/users';
import { COMMERCE, decodeHtml, GSA } from './support';

/*
 * Many generated hostile requests, anonymous and signed in: every query parameter of every
 * route, every form field of every form, hostile path segments, every body type on every
 * write, odd methods and headers, hostile import files. None may get a 5xx, and none may
 * be logged as an unhandled error. Values are taken in turn from one list, so every value
 * meets every route without trying every combination: a few thousand requests per database.
 */

jest.setTimeout(300_000);

const ANALYST = {
  email: 'hostile-analyst@example.org',
  password: 'hostile-password-0001',
  display_name: 'Hal Analyst',
  role: 'analyst' as const,
};
const ADMIN = { email: 'hostile-admin@example.org', password: 'hostile-password-0002', display_name: 'Hedy Admin', role: 'admin' as const };
const VICTIM = {
  email: 'hostile-victim@example.org',
  password: 'hostile-password-0003',
  display_name: 'Vic Tim',
  role: 'analyst' as const,
};
const LEAVER = {
  email: 'hostile-leaver@example.org',
  password: 'hostile-password-0004',
  display_name: 'Lee Vers',
  role: 'analyst' as const,
};

/** Hostile values for parameters, fields and path segments. */
const VALUES: ReadonlyArray<readonly [string, string]> = [
  ['empty', ''],
  ['space', ' '],
  ['long', 'x'.repeat(3000)],
  ['NUL', '\u0000'],
  ['NUL inside', 'kaspersky\u0000-lab'],
  ['control characters', '\u0001\u0008\u001b\u007f\u0085'],
  ['line breaks', 'a\r\nb\nc\rd'],
  ['tab', '\tx'],
  ['direction override', '\u202Egnp.exe'],
  ['zero-width', '\u200B\u200D\uFEFF'],
  ['emoji', '\u{1F642}\u{1F3F3}\uFE0F\u200D\u{1F308}'],
  ['CJK', '東京都'],
  ['combining marks', 'e\u0301\u0301\u0301\u0301'],
  ['lone surrogate', '\uD800'],
  ['SQL quote', "' OR '1'='1"],
  ['SQL statement', '1; DROP TABLE events; --'],
  ['LIKE wildcards', '%_%'],
  ['backslash', '\\'],
  ['HTML', '<script>alert(1)</script>'],
  ['attribute breakout', '"><img src=x onerror=alert(1)>'],
  ['template', '<%= process.exit() %>'],
  ['negative', '-1'],
  ['zero', '0'],
  ['huge number', '99999999999999999999999'],
  ['float', '1.5e308'],
  ['NaN', 'NaN'],
  ['hex', '0x1F'],
  ['impossible date', '2018-02-30'],
  ['zero date', '0000-00-00'],
  ['far date', '99999-12-31'],
  ['JSON', '{"a":[1,2]}'],
  ['__proto__', '__proto__'],
  ['path traversal', '../../etc/passwd'],
  ['script URL', 'javascript:alert(1)'],
  ['true', 'true'],
  ['a real slug', 'kaspersky-lab'],
  ['percent', '%'],
  ['base64', 'MjAxOC0wMS0wMXw5OTk5OTk5OTk5OTk5OTk5'],
];

/** Query strings sent as they are (already percent-encoded, some of it badly). */
const RAW_QUERIES = [
  '%',
  'a=%zz',
  'q=%E0%A4%A',
  'q=%ED%A0%80',
  'q=%FF%FE',
  '&&&',
  '=x',
  'a[b]=1',
  '__proto__=x&constructor[prototype][x]=1',
  'type[]=ban',
  'q=a&q=b&q=c',
  `q=${'%41'.repeat(2000)}`,
  'from=2018&from=2019',
  'vendor=kaspersky-lab&vendor=huawei',
];

/** Path segments sent as they are. */
const RAW_SEGMENTS = [
  '%',
  '%zz',
  '%E0%A4%A',
  '%ED%A0%80',
  '%00',
  '..',
  '.',
  '%2e%2e',
  '%2F',
  'a%2Fb',
  '%5C',
  '~',
  '*',
  `${'a'.repeat(1500)}`,
];

const TIMELINE_FILTERS = ['type', 'jurisdiction', 'actor', 'from', 'to', 'q', 'order'];

/** The query parameters each route reads; a route not listed gets all of them. */
const ROUTE_PARAMS: Record<string, string[]> = {
  '/': ['after'],
  '/vendors': ['after'],
  '/vendors/:slug': TIMELINE_FILTERS,
  '/vendors/:slug/events.csv': [...TIMELINE_FILTERS, 'bom'],
  '/vendors/:slug/timeline.svg': TIMELINE_FILTERS,
  '/events': [...TIMELINE_FILTERS, 'vendor', 'after'],
  '/events.csv': [...TIMELINE_FILTERS, 'vendor', 'bom'],
  '/events/new': ['vendor'],
  '/actors': ['after'],
  '/actors/:slug': ['after'],
  '/sources/:id': ['after'],
  '/search': ['q', 'vendor', 'type', 'after'],
  '/reports/events': [...TIMELINE_FILTERS, 'vendor', 'rows', 'columns'],
  '/reports/events.csv': [...TIMELINE_FILTERS, 'vendor', 'rows', 'columns', 'bom'],
  '/reports/status': ['as_of', 'vendor', 'after'],
  '/reports/status.csv': ['as_of', 'vendor', 'bom'],
  '/reports/status.svg': ['as_of', 'vendor'],
  '/reports/sources': ['after'],
  '/reports/sources.csv': ['bom'],
  '/reports/activity': ['vendor'],
  '/reports/activity.csv': ['vendor', 'bom'],
  '/jurisdictions/:code': ['after'],
  '/compare': ['vendors', 'as_of'],
  '/api/vendors': ['cursor', 'limit'],
  '/api/vendors/:slug/events': [...TIMELINE_FILTERS, 'limit', 'cursor'],
  '/login': ['next'],
  '/setup': ['token'],
  '/admin/users': ['before'],
  '/admin/users/history': ['before', 'after'],
};
const ALL_PARAMS = [...new Set(Object.values(ROUTE_PARAMS).flat())];

/** Takes `count` items in turn from `list`, starting where the previous call of the same counter stopped. */
function rotation<T>(list: readonly T[]) {
  let next = 0;
  return (count: number): T[] => Array.from({ length: Math.min(count, list.length) }, () => list[next++ % list.length]);
}

/** Percent-encodes like a browser, and a lone surrogate (which encodeURIComponent refuses) as its raw bytes. */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value
      .split('')
      .map((ch) => (/[\uD800-\uDFFF]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch)))
      .join('');
  }
}

type Fields = Array<[string, string]>;

function urlencoded(fields: Fields): string {
  return fields.map(([n, v]) => `${encode(n)}=${encode(v)}`).join('&');
}

const BOUNDARY = 'hostileBoundary0123456789';
function multipart(
  fields: Fields,
  files: Array<{ field: string; name: string; content: string | Buffer; type?: string }> = [],
  boundary = BOUNDARY,
): Buffer {
  const parts: Buffer[] = fields.map(([n, v]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${n.replace(/"/g, '%22')}"\r\n\r\n${v}\r\n`),
  );
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name.replace(/"/g, '%22')}"\r\nContent-Type: ${f.type ?? 'text/csv'}\r\n\r\n`,
      ),
    );
    parts.push(Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(parts);
}

interface PostForm {
  action: string;
  fields: Fields;
}

/** The POST forms of a page: action and fields with the values the page gives them. */
function postFormsOf(html: string): PostForm[] {
  const forms: PostForm[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = m[1];
    if (!/method="post"/i.test(attrs)) continue;
    const action = decodeHtml(/action="([^"]*)"/i.exec(attrs)?.[1] ?? '');
    const fields: Fields = [];
    for (const tag of m[2].matchAll(/<(input|select|textarea)\b([^>]*)>([\s\S]*?(?=<\/(?:select|textarea)>))?/gi)) {
      const [, kind, a, inner] = tag;
      const name = /\bname="([^"]*)"/i.exec(a)?.[1];
      if (!name) continue;
      const type = (/\btype="([^"]*)"/i.exec(a)?.[1] ?? 'text').toLowerCase();
      if (['submit', 'button', 'file', 'reset', 'image'].includes(type)) continue;
      if ((type === 'checkbox' || type === 'radio') && !/\bchecked\b/i.test(a)) continue;
      let value = /\bvalue="([^"]*)"/i.exec(a)?.[1] ?? '';
      if (kind.toLowerCase() === 'select')
        value =
          /<option\b[^>]*\bselected\b[^>]*\bvalue="([^"]*)"/i.exec(inner ?? '')?.[1] ??
          /<option\b[^>]*\bvalue="([^"]*)"/i.exec(inner ?? '')?.[1] ??
          '';
      if (kind.toLowerCase() === 'textarea') value = (inner ?? '').replace(/^[^>]*>/, '');
      fields.push([decodeHtml(name), decodeHtml(value)]);
    }
    forms.push({ action, fields });
  }
  return forms;
}

/** Every route of the app (method and pattern), read from its router. */
function routesOf(app: Express): Array<{ method: string; path: string }> {
  const out: Array<{ method: string; path: string }> = [];
  const walk = (stack: unknown[]) => {
    for (const layer of stack as Array<{ route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } }>) {
      if (layer.route) for (const method of Object.keys(layer.route.methods)) out.push({ method, path: layer.route.path });
      else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: unknown[] } }).router.stack);
  return out;
}

type LogLine = { level: number; msg?: string; err?: { message?: string } };

describeEachDatabase('hostile requests on %s', (kind) => {
  let t: TestApp;
  let app: Express;
  const logged: LogLine[] = [];
  let analyst: Browser;
  let admin: Browser;
  let anonymous: Browser;
  /** Signed in before the sign-in form is flooded (which locks the address), to be signed out by the /logout probes. */
  let leaver: Browser;
  let victimId: number;
  let sourceId: number;
  let importToken = 'no-such-import';
  const failures: string[] = [];
  const statuses: number[] = [];

  beforeAll(async () => {
    t = await createTestApp(kind);
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logged.push(JSON.parse(line));
        done();
      },
    });
    app = createApp({ db: t.db, config: t.config, logger: pino({ level: 'warn' }, stream) });
    await addTestUser(t, ANALYST);
    await addTestUser(t, ADMIN);
    await addTestUser(t, LEAVER);
    victimId = (await addTestUser(t, VICTIM)).id;
    [analyst, admin, anonymous, leaver] = await Promise.all([
      signedInBrowser(app, ANALYST),
      signedInBrowser(app, ADMIN),
      anonymousBrowser(app),
      signedInBrowser(app, LEAVER),
    ]);
    sourceId = Number((await t.db('sources').orderBy('id').first('id')).id);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  /** A concrete path for a route pattern, with a record that exists. */
  function concrete(pattern: string, segment?: string): string {
    return pattern.replace(/:([a-z]+)/g, (_m, name: string) => {
      if (segment !== undefined) return segment;
      if (name === 'slug') return pattern.startsWith('/actors') ? 'us-dhs' : 'kaspersky-lab';
      if (name === 'code') return 'US';
      if (name === 'name') return 'events';
      if (name === 'token') return importToken;
      if (pattern.startsWith('/sources') || pattern.startsWith('/api/sources')) return String(sourceId);
      if (pattern.startsWith('/admin/users')) return String(victimId);
      // Events: the edit and read routes use one event, delete and restore another.
      return /delete|restore/.test(pattern) ? COMMERCE : GSA;
    });
  }

  interface Probe {
    method: 'get' | 'post' | 'put' | 'patch' | 'delete' | 'options' | 'head';
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    label?: string;
  }

  async function send(who: Browser | null, p: Probe): Promise<number> {
    const agent = who ? who.agent : request(app);
    const req = agent[p.method](p.path);
    for (const [name, value] of Object.entries(p.headers ?? {})) req.set(name, value);
    let status: number;
    let text: string;
    try {
      const res = await (p.body !== undefined ? req.send(p.body) : req);
      status = res.status;
      text = typeof res.text === 'string' ? res.text : '';
    } catch (err) {
      // supertest rejects only when no response came back: the worst outcome.
      status = 599;
      text = String(err);
    }
    statuses.push(status);
    if (status >= 500)
      failures.push(
        `${p.method.toUpperCase()} ${p.path.slice(0, 200)} ${p.label ?? ''} as ${who === analyst ? 'analyst' : who === admin ? 'admin' : 'anonymous'}: ${status} ${text.replace(/\s+/g, ' ').slice(0, 300)}`,
      );
    return status;
  }

  /** Runs a batch and reports its 5xx answers; returns how often each status came back. */
  async function expectNo5xx(run: () => Promise<void>): Promise<Record<number, number>> {
    const start = failures.length;
    const first = statuses.length;
    const t0 = Date.now();
    await run();
    const counts: Record<number, number> = {};
    for (const status of statuses.slice(first)) counts[status] = (counts[status] ?? 0) + 1;
    // HOSTILE_TIMING=1 prints each batch's size, time and answers.
    if (process.env.HOSTILE_TIMING)
      console.log(`${expect.getState().currentTestName}: ${statuses.length - first} requests in ${Date.now() - t0} ms`, counts);
    expect({ requests: statuses.length > first, serverErrors: failures.slice(start) }).toEqual({ requests: true, serverErrors: [] });
    return counts;
  }

  /** How many answers show the request got past the checks into the route: a page, a redirect after a save, a form sent back. */
  const reachedRoutes = (counts: Record<number, number>) =>
    (counts[200] ?? 0) + (counts[303] ?? 0) + (counts[409] ?? 0) + (counts[422] ?? 0);

  const getRoutes = () => routesOf(app).filter((r) => r.method === 'get' && !r.path.startsWith('/assets'));
  const postRoutes = () => routesOf(app).filter((r) => r.method === 'post');
  const whoFor = (path: string) => (path.startsWith('/admin') ? admin : analyst);

  it('GET: every query parameter of every route, with hostile values, signed in and anonymously', async () => {
    const values = rotation(VALUES);
    const counts = await expectNo5xx(async () => {
      for (const route of getRoutes()) {
        const path = concrete(route.path);
        const params = ROUTE_PARAMS[route.path];
        for (const param of params ?? []) {
          for (const [label, value] of values(3)) {
            await send(whoFor(path), { method: 'get', path: `${path}?${param}=${encode(value)}`, label });
          }
          const [[, a], [, b]] = values(2);
          await send(anonymous, { method: 'get', path: `${path}?${param}=${encode(a)}`, label: 'anonymous' });
          await send(whoFor(path), { method: 'get', path: `${path}?${param}=${encode(a)}&${param}=${encode(b)}`, label: 'repeated' });
        }
        // Every parameter at once, and an unknown one: a route that reads none of them must ignore them.
        for (const [label, value] of values(params ? 1 : 3)) {
          await send(whoFor(path), {
            method: 'get',
            path: `${path}?${ALL_PARAMS.map((p) => `${p}=${encode(value)}`).join('&')}&zzz=${encode(value)}`,
            label: `all parameters ${label}`,
          });
        }
        if (!params)
          await send(anonymous, {
            method: 'get',
            path: `${path}?${ALL_PARAMS.map((p) => `${p}=${encode(values(1)[0][1])}`).join('&')}`,
            label: 'all parameters',
          });
      }
    });
    expect(counts[200]).toBeGreaterThan(100);
    expect(counts[400]).toBeGreaterThan(50);
  });

  it('GET: raw and malformed query strings on every route', async () => {
    const raw = rotation(RAW_QUERIES);
    await expectNo5xx(async () => {
      for (const route of getRoutes()) {
        const path = concrete(route.path);
        for (const query of raw(3)) await send(whoFor(path), { method: 'get', path: `${path}?${query}` });
        await send(anonymous, { method: 'get', path: `${path}?${raw(1)[0]}` });
      }
    });
  });

  it('GET and POST: hostile path segments for every route with a parameter', async () => {
    const values = rotation(VALUES);
    const raw = rotation(RAW_SEGMENTS);
    const forms = await collectForms();
    await expectNo5xx(async () => {
      for (const route of routesOf(app).filter((r) => r.path.includes(':'))) {
        const method = route.method as 'get' | 'post';
        const who = whoFor(route.path);
        const body = method === 'post' ? urlencoded(fieldsFor(forms, concrete(route.path), who)) : undefined;
        const headers = method === 'post' ? { 'Content-Type': 'application/x-www-form-urlencoded' } : undefined;
        for (const [label, value] of values(5))
          await send(who, { method, path: concrete(route.path, encode(value)), body, headers, label });
        for (const segment of raw(2)) await send(who, { method, path: concrete(route.path, segment), body, headers, label: 'raw' });
        await send(anonymous, {
          method,
          path: concrete(route.path, encode(values(1)[0][1])),
          body: method === 'post' ? urlencoded([['_csrf', anonymous.token!]]) : undefined,
          headers,
        });
      }
    });
  });

  /** The forms the app shows, as the signed-in user who may send them. */
  async function collectForms(): Promise<Array<{ who: Browser; form: PostForm }>> {
    const pages: Array<[Browser, string]> = [
      [analyst, '/vendors/new'],
      [analyst, '/vendors/kaspersky-lab/edit'],
      [analyst, '/actors/new'],
      [analyst, '/actors/us-dhs/edit'],
      [analyst, '/sources/new'],
      [analyst, `/sources/${sourceId}/edit`],
      [analyst, '/events/new'],
      [analyst, `/events/${GSA}/edit`],
      [admin, '/admin/users'],
    ];
    const out: Array<{ who: Browser; form: PostForm }> = [];
    for (const [who, page] of pages) {
      const res = await who.get(page);
      expect({ page, status: res.status }).toEqual({ page, status: 200 });
      for (const form of postFormsOf(res.text)) {
        if (form.action === '/logout' || form.action === '' || form.action.startsWith('/search')) continue;
        // Account forms: only the spare account's, so the signed-in admin keeps its rights.
        if (/^\/admin\/users\/\d+\//.test(form.action) && !form.action.startsWith(`/admin/users/${victimId}/`)) continue;
        out.push({ who, form });
      }
    }
    out.push({ who: analyst, form: { action: `/events/${COMMERCE}/delete`, fields: [['_csrf', '']] } });
    out.push({ who: analyst, form: { action: `/events/${COMMERCE}/restore`, fields: [['_csrf', '']] } });
    return out;
  }

  /** The fields of the form that posts to `action`, with the sender's token. */
  function fieldsFor(forms: Array<{ form: PostForm }>, action: string, who: Browser): Fields {
    const found = forms.find((f) => f.form.action === action);
    return [...(found?.form.fields.filter(([n]) => n !== '_csrf') ?? [['note', 'x']]), ['_csrf', who.token!]];
  }

  it('POST: every field of every form, with hostile values, missing and repeated (signed in)', async () => {
    const forms = await collectForms();
    expect(forms.length).toBeGreaterThanOrEqual(10);
    const values = rotation([
      ...VALUES,
      ['very long', 'y'.repeat(100_000)] as const,
      ['over the size limit', 'z'.repeat(250_000)] as const,
    ]);
    const counts = await expectNo5xx(async () => {
      for (const { who, form } of forms) {
        const withToken = (fields: Fields): Fields => [...fields.filter(([n]) => n !== '_csrf'), ['_csrf', who.token!]];
        const post = (fields: Fields, label: string) =>
          send(who, {
            method: 'post',
            path: form.action,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: urlencoded(withToken(fields)),
            label,
          });
        const names = [...new Set(form.fields.map(([n]) => n))].filter((n) => n !== '_csrf');
        for (const name of names) {
          const others = form.fields.filter(([n]) => n !== name);
          for (const [label, value] of values(6)) await post([...others, [name, value]], `${name}=${label}`);
          const [[, a], [, b]] = values(2);
          await post([...others, [name, a], [name, b]], `${name} repeated`);
          await post(others, `${name} missing`);
        }
        await post(
          [
            ...form.fields,
            ['__proto__', 'x'],
            ['constructor', 'x'],
            ['hasOwnProperty', 'x'],
            ['toString', 'x'],
            ['version', 'x'],
            ['version', 'y'],
          ],
          'prototype names',
        );
        await send(who, {
          method: 'post',
          path: form.action,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: urlencoded([...form.fields.filter(([n]) => n !== '_csrf'), ['_csrf', who.token!], ['_csrf', who.token!]]),
          label: '_csrf twice',
        });
        await post(form.fields, 'as shown');
      }
    });
    // Most hostile values still reach the route (a save or the form sent back), not just a refusal at the door.
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(reachedRoutes(counts)).toBeGreaterThan(total / 2);
  });

  /** Every body type, sent to one write with its fields and a valid token; the valid form last. */
  function bodyVariants(fields: Fields): Array<{ label: string; headers: Record<string, string>; body: string | Buffer }> {
    const form = urlencoded(fields);
    const FORM = 'application/x-www-form-urlencoded';
    return [
      { label: 'multipart', headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` }, body: multipart(fields) },
      { label: 'multipart without boundary', headers: { 'Content-Type': 'multipart/form-data' }, body: multipart(fields) },
      {
        label: 'multipart, gzip',
        headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Content-Encoding': 'gzip' },
        body: gzipSync(multipart(fields)),
      },
      {
        label: 'multipart cut short',
        headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
        body: multipart(fields).subarray(0, 40),
      },
      { label: 'JSON', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(Object.fromEntries(fields)) },
      { label: 'broken JSON', headers: { 'Content-Type': 'application/json' }, body: '{"_csrf":' },
      { label: 'text/plain', headers: { 'Content-Type': 'text/plain' }, body: form },
      {
        label: 'XML',
        headers: { 'Content-Type': 'application/xml' },
        body: '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
      },
      { label: 'no Content-Type', headers: { 'Content-Type': '' }, body: Buffer.from(form) },
      { label: 'octet-stream', headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.from([0, 1, 2, 255]) },
      { label: 'form, gzip', headers: { 'Content-Type': FORM, 'Content-Encoding': 'gzip' }, body: gzipSync(form) },
      { label: 'form, gzip header on plain bytes', headers: { 'Content-Type': FORM, 'Content-Encoding': 'gzip' }, body: form },
      {
        label: 'form, deflate garbage',
        headers: { 'Content-Type': FORM, 'Content-Encoding': 'deflate' },
        body: Buffer.from([1, 2, 3, 4, 5]),
      },
      { label: 'form, br garbage', headers: { 'Content-Type': FORM, 'Content-Encoding': 'br' }, body: Buffer.from([1, 2, 3, 4, 5]) },
      { label: 'form, unknown encoding', headers: { 'Content-Type': FORM, 'Content-Encoding': 'compress' }, body: form },
      { label: 'form, UTF-16', headers: { 'Content-Type': `${FORM}; charset=utf-16` }, body: form },
      { label: 'form, unknown charset', headers: { 'Content-Type': `${FORM}; charset=bogus` }, body: form },
      { label: 'form, bad percent-encoding', headers: { 'Content-Type': FORM }, body: `${form}&x=%E0%A4%A&%%%&==&y=%ED%A0%80` },
      {
        label: 'form, Latin-1 bytes',
        headers: { 'Content-Type': FORM },
        body: Buffer.concat([Buffer.from(`${form}&title=`), Buffer.from([0xe9, 0xff, 0xfe])]),
      },
      { label: 'malformed Content-Type', headers: { 'Content-Type': ';;;' }, body: form },
      { label: 'Content-Type with a bad parameter', headers: { 'Content-Type': `${FORM}; charset="` }, body: form },
      {
        label: 'too many fields',
        headers: { 'Content-Type': FORM },
        body: `${form}&${Array.from({ length: 450 }, (_, i) => `f${i}=1`).join('&')}`,
      },
      { label: 'over the size limit', headers: { 'Content-Type': FORM }, body: `${form}&summary=${'s'.repeat(250_000)}` },
      { label: 'empty body', headers: {}, body: '' },
      { label: 'form', headers: { 'Content-Type': FORM }, body: form },
    ];
  }

  it('POST: every body type on every write route (signed in), and anonymously', async () => {
    const forms = await collectForms();
    const counts = await expectNo5xx(async () => {
      for (const route of postRoutes()) {
        if (['/login', '/setup', '/logout'].includes(route.path)) continue;
        const path = concrete(route.path);
        const who = whoFor(path);
        for (const v of bodyVariants(fieldsFor(forms, path, who)))
          await send(who, { method: 'post', path, headers: v.headers, body: v.body, label: v.label });
        for (const v of bodyVariants([['_csrf', anonymous.token!]]).filter((_, i) => i % 5 === 0))
          await send(anonymous, { method: 'post', path, headers: v.headers, body: v.body, label: v.label });
      }
    });
    expect(counts[415]).toBeGreaterThan(100);
    expect(reachedRoutes(counts)).toBeGreaterThan(10);
  });

  it('POST: /login, /setup and /logout with hostile fields and every body type', async () => {
    const values = rotation(VALUES);
    await expectNo5xx(async () => {
      const login: Fields = [
        ['email', 'nobody@example.org'],
        ['password', 'not-the-password-1'],
        ['next', '/'],
      ];
      const setup: Fields = [
        ['token', 'no-such-token'],
        ['email', 'first@example.org'],
        ['display_name', 'First Admin'],
        ['password', 'first-admin-password-1'],
      ];
      for (const [path, fields] of [
        ['/login', login],
        ['/setup', setup],
      ] as const) {
        const withToken = (f: Fields): Fields => [...f, ['_csrf', anonymous.token!]];
        for (const name of fields.map(([n]) => n)) {
          const others = fields.filter(([n]) => n !== name);
          for (const [label, value] of values(8)) {
            await send(anonymous, {
              method: 'post',
              path,
              headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
              body: urlencoded(withToken([...others, [name, value]])),
              label: `${name}=${label}`,
            });
          }
          await send(anonymous, {
            method: 'post',
            path,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: urlencoded(withToken([...others, [name, 'a'], [name, 'b']])),
            label: `${name} repeated`,
          });
        }
        for (const v of bodyVariants(withToken(fields)))
          await send(anonymous, { method: 'post', path, headers: v.headers, body: v.body, label: v.label });
      }
      // Signing out ends the session, so a session of its own, with the valid form last.
      for (const v of bodyVariants([['_csrf', leaver.token!]]))
        await send(leaver, { method: 'post', path: '/logout', headers: v.headers, body: v.body, label: v.label });
    });
  });

  const IMPORT_ROW: Record<string, string> = {
    id: 'hostile-2021-01-15-advisory',
    occurred_on: '2021-01-15',
    date_precision: 'day',
    effective_on: '',
    vendors: 'kaspersky-lab',
    jurisdiction: 'US',
    actor: 'us-dhs',
    affected: '',
    type: 'advisory',
    title: 'An advisory brought in by the hostile-request test',
    summary: 'Made up.',
    responds_to: '',
    source_titles: 'Hostile test article',
    source_urls: 'https://hostile.example/advisory',
    updated_at: '',
  };
  const header = EVENT_CSV_COLUMNS.join(',');
  const csvLine = (cells: Record<string, string>) => EVENT_CSV_COLUMNS.map((c) => `"${(cells[c] ?? '').replace(/"/g, '""')}"`).join(',');

  /** Import files: a good one, and every way a file can be wrong. */
  function importFiles(): Array<[string, string | Buffer]> {
    const files: Array<[string, string | Buffer]> = [
      ['good', `${header}\r\n${csvLine(IMPORT_ROW)}\r\n`],
      ['empty', ''],
      ['header only', `${header}\r\n`],
      ['not CSV', 'just some words'],
      ['binary', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])],
      ['not UTF-8', Buffer.concat([Buffer.from(`${header}\r\n`), Buffer.from([0xff, 0xfe, 0xe9])])],
      ['UTF-16', Buffer.from(`\ufeff${header}\r\n`, 'utf16le')],
      ['unbalanced quote', `${header}\r\n"${'a,'.repeat(14)}`],
      ['wrong header', 'a,b,c\r\n1,2,3\r\n'],
      ['duplicate header', `${header},id\r\n${csvLine(IMPORT_ROW)},x\r\n`],
      ['short row', `${header}\r\na,b\r\n`],
      ['many columns', `${header}\r\n${'x,'.repeat(5000)}x\r\n`],
      ['huge cell', `${header}\r\n${csvLine({ ...IMPORT_ROW, summary: 'w'.repeat(300_000) })}\r\n`],
      ['CR line ends', `${header}\r${csvLine(IMPORT_ROW)}\r`],
      ['BOM and LF', `\ufeff${header}\n${csvLine(IMPORT_ROW)}\n`],
    ];
    for (const [label, value] of VALUES) {
      for (const column of [
        'id',
        'occurred_on',
        'vendors',
        'jurisdiction',
        'actor',
        'type',
        'title',
        'responds_to',
        'source_urls',
        'updated_at',
      ]) {
        if ((label.length + column.length) % 4 !== 0) continue;
        files.push([
          `${column}=${label}`,
          `${header}\r\n${csvLine({ ...IMPORT_ROW, id: `hostile-${column}-${files.length}`, [column]: value })}\r\n`,
        ]);
      }
    }
    return files;
  }

  it('imports: hostile files, file names and parts, and confirmations with hostile tokens', async () => {
    const upload = (fields: Fields, files: Parameters<typeof multipart>[1], label: string, boundary = BOUNDARY) =>
      send(analyst, {
        method: 'post',
        path: '/imports',
        headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
        body: multipart(fields, files, boundary),
        label,
      });
    const token = (): Fields => [['_csrf', analyst.token!]];
    const counts = await expectNo5xx(async () => {
      for (const [label, content] of importFiles())
        await upload(token(), [{ field: 'file', name: 'events.csv', content }], `file: ${label}`);
      for (const [label, name] of VALUES.filter((_, i) => i % 3 === 0))
        await upload(token(), [{ field: 'file', name, content: `${header}\r\n` }], `file name: ${label}`);
      await upload(token(), [{ field: 'other', name: 'a.csv', content: 'x' }], 'file in another field');
      await upload(
        token(),
        [
          { field: 'file', name: 'a.csv', content: 'x' },
          { field: 'file', name: 'b.csv', content: 'y' },
        ],
        'two files',
      );
      await upload(
        [...token(), ...Array.from({ length: 10 }, (_, i): [string, string] => [`f${i}`, 'x'])],
        [{ field: 'file', name: 'a.csv', content: 'x' }],
        'many fields',
      );
      await upload(
        [...token(), ['a[b][c][d][e]', 'x'], ['__proto__', 'x'], ['', 'x']],
        [{ field: 'file', name: 'a.csv', content: 'x' }],
        'odd field names',
      );
      await upload([...token(), ['_csrf', 'second']], [{ field: 'file', name: 'a.csv', content: 'x' }], '_csrf twice');
      await upload([['_csrf', 'x'.repeat(70_000)]], [], 'huge field');
      await upload(token(), [], 'no file');
      await upload(token(), [{ field: 'file', name: 'a.csv', content: `${header}\r\n` }], 'quoted boundary', '"quoted:boundary"');
      await upload(token(), [{ field: 'file', name: 'a.csv', content: `${header}\r\n` }], 'boundary of 71 characters', 'b'.repeat(71));

      // A real dry run, then its confirmation with hostile tokens, twice for real, and with every body type.
      const preview = await analyst.agent
        .post('/imports')
        .field('_csrf', analyst.token!)
        .attach('file', Buffer.from(`${header}\r\n${csvLine({ ...IMPORT_ROW, id: 'hostile-confirmed' })}\r\n`), {
          filename: 'hostile.csv',
          contentType: 'text/csv',
        });
      expect(preview.status).toBe(200);
      const confirm = decodeHtml(/<form method="post" action="(\/imports\/[^"]+\/confirm)"/.exec(preview.text)?.[1] ?? '');
      expect(confirm).toMatch(/^\/imports\/.+\/confirm$/);
      importToken = confirm.split('/')[2];
      const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
      for (const [label, value] of VALUES)
        await send(analyst, { method: 'post', path: `/imports/${encode(value)}/confirm`, headers: form, body: urlencoded(token()), label });
      for (const v of bodyVariants(token()))
        await send(analyst, { method: 'post', path: confirm, headers: v.headers, body: v.body, label: v.label });
      await send(analyst, { method: 'post', path: confirm, headers: form, body: urlencoded(token()), label: 'again' });
    });
    expect(counts[200]).toBeGreaterThan(5);
    expect(counts[422]).toBeGreaterThan(5);
  });

  it('other methods and odd headers', async () => {
    const values = rotation(VALUES);
    await expectNo5xx(async () => {
      for (const path of [
        '/',
        '/vendors/kaspersky-lab',
        `/events/${GSA}`,
        '/events',
        '/login',
        '/imports',
        '/api/vendors',
        '/admin/users',
      ]) {
        for (const method of ['put', 'patch', 'delete', 'options', 'head'] as const) {
          await send(analyst, {
            method,
            path,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: method === 'head' || method === 'options' ? undefined : urlencoded([['_csrf', analyst.token!]]),
          });
          await send(null, { method, path });
        }
      }
      const HEADERS: Array<Record<string, string>> = [
        { Accept: 'application/json' },
        { Accept: 'text/html;q=0, application/json;q=0' },
        { Accept: '*/*;q=abc' },
        { 'Accept-Language': '\u00ff'.repeat(10) },
        { Cookie: 'vpt.sid=%E0%A4%A' },
        { Cookie: 'vpt.sid=s%3Agarbage.signature' },
        { Cookie: `vpt.sid=${'s'.repeat(3000)}` },
        { Cookie: Array.from({ length: 100 }, (_, i) => `c${i}=${i}`).join('; ') },
        { Range: 'bytes=0-1' },
        { 'If-None-Match': '*' },
        { 'If-Modified-Since': 'not a date' },
        { 'X-Forwarded-For': '::1, not-an-address, 999.1.1.1' },
        { 'X-Forwarded-Proto': 'gopher' },
        { 'X-Requested-With': 'XMLHttpRequest' },
      ];
      for (const headers of HEADERS) {
        for (const path of ['/', '/vendors/kaspersky-lab?type=nope', '/events.csv', '/api/events/nope', '/login']) {
          await send(null, { method: 'get', path, headers });
          await send(analyst, { method: 'get', path, headers });
        }
      }
      const POST_HEADERS: Array<Record<string, string>> = [
        { Origin: 'null' },
        { Origin: values(1)[0][1].replace(/[^\x20-\x7e]/g, '') || 'x' },
        { Referer: 'http://[::1' },
        { Referer: 'javascript:alert(1)' },
        { Host: 'evil.example' },
        { 'Content-Length': '0' },
      ];
      for (const headers of POST_HEADERS) {
        for (const path of ['/vendors', '/login', `/events/${GSA}/delete`]) {
          await send(analyst, {
            method: 'post',
            path,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
            body: headers['Content-Length'] ? undefined : urlencoded([['_csrf', analyst.token!]]),
          });
        }
      }
    });
  });

  it('afterwards the app still answers, logged no unhandled error, and the run stayed bounded', async () => {
    expect((await request(app).get('/healthz')).status).toBe(200);
    expect((await analyst.get('/')).status).toBe(200);
    const errors = logged.filter((l) => l.level >= 50).map((l) => `${l.msg ?? ''}: ${l.err?.message ?? ''}`.slice(0, 300));
    expect(errors).toEqual([]);
    expect(failures).toEqual([]);
    expect(statuses.length).toBeGreaterThan(1500);
    expect(statuses.length).toBeLessThan(6000);
  });
});
