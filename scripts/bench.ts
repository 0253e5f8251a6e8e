/**
 * The read-performance benchmark (issue 8). One command builds the data through the app's
 * own write path, keeps it between runs under .tmp/bench/, serves it with the real app in
 * a child process and prints one table per database: each measurement at every size asked
 * for, and each speed as a ratio against an anchor measured in the same run:
 *  - pages and API: autocannon (10 connections) against the app, and against bare Express
 *    sending the same bytes from memory;
 *  - the CSV export: rows/s against `sqlite3 -csv` (or `psql \copy`) running the export's
 *    own query on the same database, and the server's RSS growth during the export.
 *
 * Usage: npm run bench [-- --events 10000,1000000 --duration 5] (--build-only: just build the data;
 *        --only <text>: only the measurements whose name contains it)
 *        DATABASE_URL=postgres://root@127.0.0.1:5432/postgres npm run bench -- --events 10000,1000000
 * On PostgreSQL each size gets its own database, vpt_bench_<events>, created when missing.
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import express from 'express';
import { type Config, loadConfig, parseDatabaseUrl } from '../src/config';
import { insertRows } from '../src/db/bulk';
import { createDb, type Db, isPostgres } from '../src/db/knex';
import { migrateLatest } from '../src/db/migrate';
import { eventExportSqlText } from '../src/events/repo';
import { reindexEvents } from '../src/search/indexer';
import { startServer } from '../src/server';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

const CACHE_DIR = path.resolve('.tmp/bench');
const EVENTS_PER_VENDOR = 100;
const ACTORS = 50;
const EVENTS_PER_SOURCE = 10;
const BATCH = 5000;
const TYPES = ['ban', 'removal-order', 'procurement-exclusion', 'advisory', 'resolution', 'investigation', 'legal-action', 'vendor-statement', 'restriction-lifted', 'other'];
const JURISDICTIONS = ['US', 'GB', 'DE', 'NL', 'FR', 'EU', 'AU', 'CA', 'IT', 'LT'];
const WORDS = ['procurement', 'telemetry', 'antivirus', 'parliament', 'firmware', 'contract', 'regulator', 'network', 'supply', 'audit'];

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const vendorSlug = (i: number) => `vendor-${pad(i + 1, 5)}`;

// ---- the data ----------------------------------------------------------------

async function buildData(db: Db, events: number, log: (s: string) => void): Promise<void> {
  await migrateLatest(db);
  const now = new Date().toISOString();
  const vendors = Math.max(1, Math.round(events / EVENTS_PER_VENDOR));
  const sources = Math.max(1, Math.round(events / EVENTS_PER_SOURCE));
  // An interrupted build goes on from the last whole batch it wrote.
  const resumeFrom = Number((await db('events').max({ n: 'id' }))[0].n ?? 0);
  if (resumeFrom > 0) log(`  going on from event ${resumeFrom}`);
  if (resumeFrom === 0) await db.transaction(async (trx) => {
    await insertRows(trx, 'vendors', Array.from({ length: vendors }, (_, i) => ({ id: i + 1, slug: vendorSlug(i), name: `Vendor ${pad(i + 1, 5)}`, aliases: '', country: JURISDICTIONS[i % 5], website: null, description: 'A generated vendor.', version: 1, created_at: now, updated_at: now })));
    await insertRows(trx, 'actors', Array.from({ length: ACTORS }, (_, i) => ({ id: i + 1, slug: `actor-${pad(i + 1, 2)}`, name: `Actor ${pad(i + 1, 2)}`, kind: 'government', jurisdiction: JURISDICTIONS[i % JURISDICTIONS.length], description: '', version: 1, created_at: now, updated_at: now })));
    for (let s = 0; s < sources; s += BATCH) {
      const n = Math.min(BATCH, sources - s);
      await insertRows(trx, 'sources', Array.from({ length: n }, (_, j) => ({ id: s + j + 1, url: `https://bench.example/articles/${s + j + 1}`, title: `Article ${s + j + 1} on ${WORDS[(s + j) % WORDS.length]}`, publisher: 'Bench Daily', author: '', published_on: '2020-01-01', published_start: '2020-01-01', archived_url: null, language: 'en', reliability: 'B', body: null, version: 1, created_at: now, updated_at: now })));
    }
  });
  const started = Date.now();
  for (let start = resumeFrom; start < events; start += BATCH) {
    const n = Math.min(BATCH, events - start);
    await db.transaction(async (trx) => {
      const rows = Array.from({ length: n }, (_, j) => {
        const k = start + j;
        const date = `${2000 + (k % 25)}-${pad((k % 12) + 1, 2)}-${pad((k % 28) + 1, 2)}`;
        const word = WORDS[k % WORDS.length];
        return {
          id: k + 1,
          public_id: `${date}-bench-${k + 1}`,
          title: `${vendorSlug(k % vendors)} ${word} event ${k + 1}`,
          summary: `A generated ${TYPES[k % TYPES.length]} about ${word} and ${WORDS[(k + 3) % WORDS.length]}, long enough to give the row an ordinary weight in pages and exports.`,
          type: TYPES[k % TYPES.length],
          jurisdiction: JURISDICTIONS[Math.floor(k / vendors) % JURISDICTIONS.length],
          actor_id: (k % ACTORS) + 1,
          occurred_on: date,
          occurred_start: date,
          effective_on: null,
          effective_start: null,
          version: 1,
          created_at: now,
          updated_at: now,
          deleted_at: null,
        };
      });
      await insertRows(trx, 'events', rows);
      await insertRows(trx, 'event_vendors', rows.map((r, j) => ({ event_id: r.id, vendor_id: ((start + j) % vendors) + 1 })));
      await insertRows(trx, 'event_affected_actors', rows.filter((_, j) => (start + j) % 5 === 0).map((r, j) => ({ event_id: r.id, actor_id: ((j + 7) % ACTORS) + 1 })));
      await insertRows(trx, 'citations', rows.map((r, j) => ({ event_id: r.id, source_id: ((start + j) % sources) + 1, quote: '', locator: '', position: 0 })));
      await reindexEvents(trx, rows.map((r) => r.id));
    });
    if ((start / BATCH) % 20 === 0) log(`  ${start + n} of ${events} events (${((start + n) / ((Date.now() - started) / 1000 || 1)).toFixed(0)} rows/s)`);
  }
  if (isPostgres(db)) {
    for (const table of ['vendors', 'actors', 'sources', 'events']) await db.raw(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`);
    await db.raw('analyze');
  }
  await db.schema.createTable('bench_meta', (t) => t.integer('events'));
  await db('bench_meta').insert({ events });
}

interface Target {
  kind: 'sqlite' | 'postgres';
  databaseUrl: string;
  /** For the CSV anchor: the SQLite file, or the PostgreSQL URL. */
  location: string;
}

function targetFor(events: number): Target {
  const base = process.env.DATABASE_URL;
  if (base && /^postgres(ql)?:\/\//i.test(base)) {
    const url = new URL(base);
    // BENCH_PG_PREFIX: a private copy of the databases (a branch with its own migrations).
    url.pathname = `/${process.env.BENCH_PG_PREFIX ?? 'vpt_bench_'}${events}`;
    return { kind: 'postgres', databaseUrl: url.toString(), location: url.toString() };
  }
  const file = path.join(CACHE_DIR, `events-${events}.sqlite`);
  return { kind: 'sqlite', databaseUrl: file, location: file };
}

async function prepare(target: Target, events: number, log: (s: string) => void): Promise<void> {
  if (target.kind === 'postgres') {
    const admin = new URL(target.databaseUrl);
    const name = admin.pathname.slice(1);
    admin.pathname = '/postgres';
    const adminDb = createDb(parseDatabaseUrl(admin.toString()));
    const exists = await adminDb.raw('select 1 from pg_database where datname = ?', [name]);
    if (exists.rows.length === 0) await adminDb.raw(`create database "${name}"`);
    await adminDb.destroy();
  } else {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
  }
  const db = createDb(parseDatabaseUrl(target.databaseUrl));
  try {
    const cached = (await db.schema.hasTable('bench_meta')) && (await db('bench_meta').first('events'))?.events === events;
    if (cached) {
      await migrateLatest(db);
      log(`${events} events: cached (${target.kind === 'sqlite' ? target.location : 'database ' + new URL(target.databaseUrl).pathname.slice(1)})`);
      return;
    }
    if ((await db.schema.hasTable('events')) && !(await db('events').where('public_id', 'like', '%-bench-%').first('id')) && (await db('events').first('id'))) {
      throw new Error(`${target.databaseUrl} holds other data; remove it to rebuild the benchmark data`);
    }
    log(`${events} events: building through the write path...`);
    const t0 = Date.now();
    await buildData(db, events, log);
    log(`${events} events: built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  } finally {
    await db.destroy();
  }
}

// ---- servers -----------------------------------------------------------------

/** Starts this script in `mode` in a child process and waits for the port it listens on. */
function child(mode: 'serve' | 'anchor', arg: string): Promise<{ proc: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const proc = fork(__filename, [`--${mode}`, arg], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [] });
    proc.once('message', (m: { port: number }) => resolve({ proc, port: m.port }));
    proc.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

async function serveApp(databaseUrl: string): Promise<void> {
  const config: Config = loadConfig({ ...process.env, DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'silent', LOAD_DEMO_DATA: 'false', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0' });
  const running = await startServer(config);
  process.send?.({ port: (running.server.address() as { port: number }).port });
}

/** Bare Express sending fixed bodies from memory: the anchor for page speed. */
function serveAnchor(file: string): void {
  const bodies = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, { type: string; body: string }>;
  const app = express();
  app.get(/.*/, (req, res) => {
    const b = bodies[req.originalUrl];
    if (!b) return void res.status(404).end();
    res.type(b.type).send(b.body);
  });
  const server = app.listen(0, () => process.send?.({ port: (server.address() as { port: number }).port }));
}

// ---- measurements ------------------------------------------------------------

interface Cell {
  text: string;
  /** The figure compared across sizes (ms or rows/s). */
  value: number;
  /** Ratio against the anchor, when there is one. */
  anchor?: number;
}

/**
 * A session cookie the app does not know: the request is still anonymous, but it skips the
 * anonymous page cache, so it measures the database and the templates.
 */
const UNCACHED = { cookie: 'vpt.sid=bench-uncached' };

async function load(url: string, duration: number, connections: number, headers: Record<string, string> = {}): Promise<AutocannonResult> {
  return autocannon({ url, connections, duration, pipelining: 1, headers });
}

const summary = (r: AutocannonResult) =>
  `${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms${r.non2xx ? `, ${r.non2xx} not 200` : ''}${r.timeouts ? `, ${r.timeouts} over 10 s` : ''}`;

/** Waits until the app answers a trivial request quickly again: work left over from one case must not be charged to the next. */
async function settle(base: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const started = Date.now();
    try {
      await (await fetch(`${base}/healthz`)).arrayBuffer();
    } catch {
      // not answering yet
    }
    if (Date.now() - started < 100) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Downloads a CSV once: time to the first byte, total time, rows, and the server's RSS growth. */
async function download(url: string, pid: number): Promise<{ ttfbMs: number; seconds: number; rows: number; rssGrowthMb: number; rssBeforeMb: number }> {
  const rssBefore = rssOf(pid);
  let peak = rssBefore;
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 50);
  const started = process.hrtime.bigint();
  const res = await fetch(url);
  let ttfbMs = 0;
  let lines = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    if (!ttfbMs) ttfbMs = Number(process.hrtime.bigint() - started) / 1e6;
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(timer);
  return { ttfbMs, seconds, rows: lines - 1, rssGrowthMb: peak - rssBefore, rssBeforeMb: rssBefore };
}

/** Runs the export's own query with the database's command-line client, output discarded. */
function anchorCsv(target: Target, sql: string): { seconds: number; rows: number } {
  const started = process.hrtime.bigint();
  const out =
    target.kind === 'sqlite'
      ? execFileSync('sh', ['-c', 'sqlite3 -csv "$0" "$1" | wc -l', target.location, sql], { encoding: 'utf8', maxBuffer: 1 << 20 })
      : execFileSync('sh', ['-c', 'psql -X -q "$0" -c "$1" | wc -l', target.location, `\\copy (${sql}) to stdout with csv`], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, rows: Number(out.trim()) };
}

interface PageCase {
  name: string;
  path: string;
  /** Compare with bare Express sending the same bytes. */
  anchored?: boolean;
}

function pageCases(events: number, firstEventId: string): PageCase[] {
  const v = vendorSlug(0);
  return [
    { name: 'timeline page /vendors/:slug', path: `/vendors/${v}`, anchored: true },
    { name: 'API /api/vendors/:slug/events', path: `/api/vendors/${v}/events`, anchored: true },
    { name: 'vendor CSV /vendors/:slug/events.csv', path: `/vendors/${v}/events.csv` },
    { name: 'event page /events/:id', path: `/events/${encodeURIComponent(firstEventId)}` },
    { name: 'actor page /actors/:slug', path: '/actors/actor-01' },
    { name: 'source page /sources/:id', path: '/sources/1' },
    { name: 'vendor feed /vendors/:slug/feed.atom', path: `/vendors/${v}/feed.atom` },
    { name: '/vendors (first page)', path: '/vendors' },
    { name: '/actors (first page)', path: '/actors' },
    { name: '/feed.atom', path: '/feed.atom' },
    { name: 'status board, one vendor', path: `/reports/status?vendor=${v}&as_of=2020-06-30` },
    { name: 'events report page', path: '/reports/events' },
    { name: 'sources report page', path: '/reports/sources' },
    // Its hits differ by size (none at 10k, a few at 1M: "10000*" is also the start of event numbers).
    { name: 'search /search?q=', path: `/search?q=telemetry+${encodeURIComponent(vendorSlug(Math.max(0, Math.round(events / EVENTS_PER_VENDOR) - 1)))}` },
    // The same one hit at every size and on both databases: event 2's title.
    { name: 'search, one hit', path: '/search?q=telemetry+2+vendor' },
    // A word in a fifth of all documents: more than the ranked cap at every size.
    { name: 'search, common word', path: '/search?q=telemetry' },
    // Pages that summarise everything last: whatever they leave running must not slow the rest.
    { name: 'status board, first page of vendors', path: '/reports/status?as_of=2020-06-30' },
    { name: 'activity report page', path: '/reports/activity' },
    { name: 'start page /', path: '/' },
  ];
}

async function measureSize(target: Target, events: number, opts: { duration: number; connections: number; only?: string }, log: (s: string) => void): Promise<Map<string, Cell>> {
  const out = new Map<string, Cell>();
  const app = await child('serve', target.databaseUrl);
  const base = `http://127.0.0.1:${app.port}`;
  try {
    const db = createDb(parseDatabaseUrl(target.databaseUrl));
    const first = await db('events').orderBy('id').first('public_id');
    const exportSql = eventExportSqlText(db, { order: 'asc' });
    await db.destroy();

    const wanted = (name: string) => !opts.only || name.toLowerCase().includes(opts.only.toLowerCase());
    const cases = pageCases(events, first.public_id).filter((c) => wanted(c.name));
    // The anchor serves exactly the bytes the app sent for the anchored pages.
    const bodies: Record<string, { type: string; body: string }> = {};
    for (const c of cases.filter((x) => x.anchored)) {
      const res = await fetch(base + c.path);
      bodies[c.path] = { type: res.headers.get('content-type') ?? 'text/html', body: await res.text() };
    }
    const bodiesFile = path.join(os.tmpdir(), `vpt-bench-bodies-${process.pid}.json`);
    fs.writeFileSync(bodiesFile, JSON.stringify(bodies));
    const anchor = await child('anchor', bodiesFile);
    try {
      for (const c of cases) {
        await settle(base);
        const res = await fetch(base + c.path, { headers: UNCACHED });
        await res.arrayBuffer();
        if (res.status !== 200) log(`  ${c.name}: status ${res.status}`);
        const r = await load(base + c.path, opts.duration, opts.connections, UNCACHED);
        let text = summary(r);
        let ratio: number | undefined;
        if (c.anchored) {
          const bare = await load(`http://127.0.0.1:${anchor.port}${c.path}`, opts.duration, opts.connections);
          const cached = await load(base + c.path, opts.duration, opts.connections);
          ratio = cached.requests.average / bare.requests.average;
          text = `rendered: ${text}, ${(r.requests.average / bare.requests.average).toFixed(3)}x bare; from the page cache: ${summary(cached)}; bare Express ${bare.requests.average.toFixed(0)} req/s`;
        }
        out.set(c.name, { text, value: r.latency.p50 || 0.5, anchor: ratio });
        await settle(base);
        log(`  ${events}: ${c.name}: ${text}${ratio !== undefined ? ` (${ratio.toFixed(2)}x bare Express from the cache)` : ''}`);
      }
    } finally {
      anchor.proc.kill();
      fs.rmSync(bodiesFile, { force: true });
    }

    const pid = app.proc.pid as number;
    if (wanted('status CSV, every vendor')) {
      const status = await download(`${base}/reports/status.csv?as_of=2020-06-30`, pid);
      out.set('status CSV, every vendor', { text: `first byte ${status.ttfbMs.toFixed(0)} ms, all ${status.rows} rows in ${status.seconds.toFixed(2)} s`, value: status.ttfbMs });
      log(`  ${events}: status CSV: ${out.get('status CSV, every vendor')?.text}`);
    }
    if (!wanted('CSV export /events.csv')) return out;

    // A short export is over before the server's code is warm and is swayed by any other load
    // on the machine: up to 100k events, the best of three runs, each beside an anchor run.
    // The RSS growth counts from before the first run, so it includes every run.
    const rssBefore = rssOf(pid);
    let exp: Awaited<ReturnType<typeof download>> | undefined;
    let anchorRate = 0;
    for (let run = 0; run < (events <= 100_000 ? 3 : 1); run++) {
      const next = await download(`${base}/events.csv`, pid);
      const rssGrowthMb = Math.max(exp?.rssGrowthMb ?? 0, next.rssGrowthMb + (next.rssBeforeMb - rssBefore));
      if (!exp || next.rows / next.seconds > exp.rows / exp.seconds) exp = next;
      exp = { ...exp, rssGrowthMb };
      const anchorRun = anchorCsv(target, exportSql);
      anchorRate = Math.max(anchorRate, anchorRun.rows / anchorRun.seconds);
    }
    if (!exp) throw new Error('no export was measured');
    const rate = exp.rows / exp.seconds;
    out.set('CSV export /events.csv', {
      text: `${rate.toFixed(0)} rows/s (${exp.rows} rows, first byte ${exp.ttfbMs.toFixed(0)} ms, RSS +${exp.rssGrowthMb.toFixed(0)} MB); ${target.kind === 'sqlite' ? 'sqlite3 -csv' : 'psql \\copy'} ${anchorRate.toFixed(0)} rows/s`,
      value: rate,
      anchor: rate / anchorRate,
    });
    log(`  ${events}: CSV export: ${out.get('CSV export /events.csv')?.text}`);
  } finally {
    app.proc.kill('SIGTERM');
  }
  return out;
}

// ---- the table -----------------------------------------------------------------

function printTable(kind: string, sizes: number[], results: Array<Map<string, Cell>>): void {
  const names = [...results[0].keys()];
  const lines: string[] = [];
  lines.push(`### ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`);
  lines.push('');
  lines.push(`| measurement | ${sizes.map((s) => `${s.toLocaleString('en')} events`).join(' | ')} | ${sizes.length > 1 ? 'largest vs smallest |' : ''} against its anchor (largest) |`);
  lines.push(`|---|${sizes.map(() => '---|').join('')}${sizes.length > 1 ? '---|' : ''}---|`);
  for (const name of names) {
    const cells = results.map((r) => r.get(name));
    const firstCell = cells[0];
    const lastCell = cells[cells.length - 1];
    const growth = firstCell && lastCell ? (name === 'CSV export /events.csv' ? firstCell.value / lastCell.value : lastCell.value / firstCell.value) : NaN;
    const anchor = lastCell?.anchor;
    const anchorText = anchor === undefined ? '' : name === 'CSV export /events.csv' ? `${anchor.toFixed(2)}x ${kind === 'sqlite' ? 'sqlite3 -csv' : 'psql \\copy'}` : `${anchor.toFixed(2)}x bare Express (page cache)`;
    const growthText = name === 'CSV export /events.csv' ? `${growth.toFixed(2)}x time per row` : name.startsWith('status CSV') ? `${growth.toFixed(2)}x first byte` : `${growth.toFixed(2)}x p50 (rendered)`;
    lines.push(`| ${name} | ${cells.map((c) => c?.text ?? '').join(' | ')} | ${sizes.length > 1 ? `${growthText} |` : ''} ${anchorText} |`);
  }
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '2000,20000' },
      duration: { type: 'string', default: '5' },
      connections: { type: 'string', default: '10' },
      serve: { type: 'string' },
      anchor: { type: 'string' },
      'build-only': { type: 'boolean', default: false },
      only: { type: 'string' },
    },
  });
  if (values.serve) return serveApp(values.serve);
  if (values.anchor) return serveAnchor(values.anchor);
  const sizes = values.events.split(',').map((s) => Number(s.trim())).filter((n) => Number.isSafeInteger(n) && n > 0);
  if (sizes.length === 0) throw new Error('--events takes sizes such as 10000,1000000');
  // --only <text>: just the measurements whose name contains it (e.g. "search", "CSV export").
  const opts = { duration: Number(values.duration), connections: Number(values.connections), only: values.only };
  const log = (s: string) => process.stderr.write(`${s}\n`);
  if (!process.env.DATABASE_URL?.startsWith('postgres')) {
    try {
      execFileSync('sqlite3', ['-version'], { stdio: 'ignore' });
    } catch {
      throw new Error('the CSV anchor needs the sqlite3 command-line tool: apt-get install sqlite3');
    }
  }
  const results: Array<Map<string, Cell>> = [];
  let kind = 'sqlite';
  for (const events of sizes) {
    const target = targetFor(events);
    kind = target.kind;
    await prepare(target, events, log);
    if (!values['build-only']) results.push(await measureSize(target, events, opts, log));
  }
  if (values['build-only']) return;
  console.log(`\nMachine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}; autocannon ${opts.connections} connections x ${opts.duration} s per page.\n`);
  printTable(kind, sizes, results);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

