/**
 * Imports an events CSV (the export's format) from the command line:
 *   npm run import -- events.csv --dry-run    check the file and show what would change
 *   npm run import -- events.csv              apply it, all rows or none
 *   npm run import -- events.csv --wait 60    give up after a minute if another process keeps the database busy
 * The file is streamed, so its size is not limited by IMPORT_MAX_MB (the upload limit).
 */
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { runScript } from './run';
import { type DatabaseConfig, loadConfig } from '../src/lib/config';
import { createDb, type Db } from '../src/db/knex';
import { currentMigration, migrateLatest } from '../src/db/migrate';
import { migrations } from '../db/migrations';
import { AppError } from '../src/lib/errors';
import { cpuPacer } from '../src/lib/cpuPressure';
import type { InvalidRow } from '../src/imports/plan';
import { type ImportProgress, type ImportResult, importFile } from '../src/imports/run';

const USAGE = 'usage: npm run import -- FILE.csv [--dry-run] [--wait SECONDS]';
const DEFAULT_WAIT_SECONDS = 600;
/** How long an attempt may sit without starting before the user is told why. */
const QUIET_WAIT_MS = 1500;
const RETRY_PAUSE_MS = 1000;
const INVALID_ROWS_SHOWN = 200;
/** How much lower than its parent's the import's CPU priority is (see yieldCpuToTheSite). */
const IMPORT_NICENESS = 10;

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

export interface CliDeps {
  env?: NodeJS.ProcessEnv;
  io?: CliIo;
  /** Overrides DATABASE_URL (tests use a schema of their own on PostgreSQL). */
  database?: DatabaseConfig;
  /** Awaited after each batch; the command passes cpuPacer (see yieldCpuToTheSite). */
  afterBatch?: () => Promise<void>;
}

/** A one-line progress bar on stderr, redrawn in place on a terminal, every 10% otherwise. */
function progressBar(stderr: CliIo['stderr'], label: string) {
  let lastTenth = -1;
  return (p: ImportProgress) => {
    const ratio = p.totalBytes ? Math.min(1, p.bytes / p.totalBytes) : 0;
    const percent = Math.floor(ratio * 100);
    if (stderr.isTTY) {
      const width = 30;
      const filled = Math.round(ratio * width);
      stderr.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${percent}% ${p.rows} rows`);
    } else if (Math.floor(ratio * 10) !== lastTenth) {
      lastTenth = Math.floor(ratio * 10);
      stderr.write(`${label}: ${percent}% (${p.rows} rows)\n`);
    }
  };
}

function printInvalid(stderr: CliIo['stderr'], invalid: InvalidRow[], count: number): void {
  stderr.write(`${count} row(s) cannot be imported:\n`);
  for (const row of invalid.slice(0, INVALID_ROWS_SHOWN))
    stderr.write(`  line ${row.line}${row.id ? ` (${row.id})` : ''}: ${row.reasons.join('; ')}\n`);
  if (count > INVALID_ROWS_SHOWN) stderr.write(`  … and ${count - INVALID_ROWS_SHOWN} more\n`);
}

const list = (items: string[], max = 20) => `${items.slice(0, max).join(', ')}${items.length > max ? `, … (${items.length} in all)` : ''}`;

function errorCode(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string') return e.code;
  return typeof e?.message === 'string' ? (/\b(SQLITE_[A-Z_]+)\b/.exec(e.message)?.[1] ?? '') : '';
}

// knex reports a busy database met while taking its migration lock as "already locked".
const isBusy = (err: unknown) =>
  ['SQLITE_BUSY', 'SQLITE_LOCKED'].includes(errorCode(err)) || /Migration table is already locked/.test(String((err as Error)?.message));

/** Migrates only when a migration is pending: checking needs no write lock, migrating does. */
async function migrateIfBehind(db: Db): Promise<void> {
  const latest = migrations[migrations.length - 1].name.split('_')[0];
  if ((await currentMigration(db)) !== latest) await migrateLatest(db);
}

/** One line a person can act on, whatever went wrong. */
export function describeFailure(err: unknown, waitSeconds: number): string {
  const code = errorCode(err);
  if (isBusy(err))
    return `The database stayed busy for ${waitSeconds} s (another process kept writing to it); nothing was imported. Try again later, or pass --wait with more seconds.`;
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', 'EAI_AGAIN'].includes(code))
    return `Cannot reach the database (${code}); nothing was imported. Check DATABASE_URL.`;
  if (code === 'SQLITE_CANTOPEN' || ['EEXIST', 'ENOTDIR', 'EACCES', 'EPERM', 'ENOENT', 'EROFS'].includes(code)) {
    return `Cannot open or create the SQLite database file (${code}); nothing was imported. Check DATABASE_URL.`;
  }
  const message = (err instanceof Error ? err.message : String(err))
    .split('\n')[0]
    .replace(/^(\w*Error:\s*)+/, '')
    .trim();
  return `Import failed: ${message || 'unknown error'}; nothing was imported.`;
}

/**
 * Runs the import, waiting while another process holds SQLite's write lock: each attempt
 * waits up to the busy timeout, and the whole import is tried again (nothing of a failed
 * attempt is kept) until it starts or `waitSeconds` have passed.
 */
async function importWaiting(
  db: Db,
  file: string,
  dryRun: boolean,
  waitSeconds: number,
  io: CliIo,
  afterBatch?: () => Promise<void>,
): Promise<ImportResult> {
  const started = Date.now();
  let told = false;
  const by = { id: null, displayName: 'command-line import' };
  for (;;) {
    let begun = false;
    const quiet = setTimeout(() => {
      if (begun || told) return;
      told = true;
      io.stderr.write(
        'Waiting for the database: another process is writing to it. The import starts as soon as it is free (Ctrl-C to give up).\n',
      );
    }, QUIET_WAIT_MS);
    try {
      await migrateIfBehind(db);
      const bar = progressBar(io.stderr, dryRun ? 'checking' : 'importing');
      const result = await importFile(db, file, {
        by,
        dryRun,
        afterBatch,
        beforeWrite: async () => {
          begun = true;
          if (told) io.stderr.write('The database is free; importing.\n');
        },
        onProgress: (p) => {
          begun = true;
          bar(p);
        },
      });
      if (io.stderr.isTTY) io.stderr.write('\n');
      return result;
    } catch (err) {
      if (!isBusy(err) || begun || Date.now() - started > waitSeconds * 1000) throw err;
      if (!told) {
        told = true;
        io.stderr.write(
          'Waiting for the database: another process is writing to it. The import starts as soon as it is free (Ctrl-C to give up).\n',
        );
      }
      await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS));
    } finally {
      clearTimeout(quiet);
    }
  }
}

export async function runImportCommand(argv: string[], deps: CliDeps = {}): Promise<number> {
  const io = deps.io ?? { stdout: process.stdout, stderr: process.stderr };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { 'dry-run': { type: 'boolean', default: false }, wait: { type: 'string' } },
    });
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [file] = parsed.positionals;
  const waitSeconds = parsed.values.wait === undefined ? DEFAULT_WAIT_SECONDS : Number(parsed.values.wait);
  if (!file || parsed.positionals.length > 1 || !Number.isFinite(waitSeconds) || waitSeconds < 0) {
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    if (!fs.statSync(file).isFile()) throw new Error('not a file');
  } catch (err) {
    io.stderr.write(
      `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.\n`,
    );
    return 1;
  }
  let database: DatabaseConfig;
  try {
    database = deps.database ?? loadConfig(deps.env ?? process.env).database;
  } catch (err) {
    io.stderr.write(`${(err as Error).message.split('\n').join(' ')}\n`);
    return 1;
  }
  const dryRun = parsed.values['dry-run'] as boolean;
  let db: Db | undefined;
  try {
    db = createDb(database);
    // knex prints connection errors itself; the command ends with its own single line instead.
    const logger = (db.client as { logger?: Record<string, unknown> }).logger;
    if (logger) logger._error = logger._warn = () => undefined;
    const { plan, total, summary } = await importWaiting(db, file, dryRun, waitSeconds, io, deps.afterBatch);
    if (dryRun) {
      io.stdout.write(
        `${file}: ${total} rows. Would create ${plan.counts.create}, update ${plan.counts.update}, leave ${plan.counts.unchanged} unchanged.\n`,
      );
      if (plan.newVendors.length) io.stdout.write(`New vendors: ${list(plan.newVendors)}\n`);
      if (plan.newActors.length) io.stdout.write(`New actors: ${list(plan.newActors)}\n`);
      if (plan.newSourceCount) io.stdout.write(`New sources: ${plan.newSourceCount}\n`);
      if (plan.counts.invalid) {
        printInvalid(io.stderr, plan.invalid, plan.counts.invalid);
        return 1;
      }
      io.stdout.write('Dry run: nothing was written.\n');
      return 0;
    }
    const s = summary as NonNullable<typeof summary>;
    io.stdout.write(
      `Imported ${file}: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged; new: ${s.newVendors} vendors, ${s.newActors} actors, ${s.newSources} sources.\n`,
    );
    return 0;
  } catch (err) {
    if (io.stderr.isTTY) io.stderr.write('\n');
    if (err instanceof AppError) {
      const invalid = err.details.invalid as InvalidRow[] | undefined;
      if (Array.isArray(invalid)) printInvalid(io.stderr, invalid, Number(/^(\d+)/.exec(err.message)?.[1] ?? invalid.length));
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    io.stderr.write(`${describeFailure(err, waitSeconds)}\n`);
    return 1;
  } finally {
    await db?.destroy().catch(() => undefined);
  }
}

/**
 * A bulk job, usually run on the machine that serves the site: it asks for a lower CPU
 * priority (nice 10), so pages keep their speed while it runs and it still has every idle
 * cycle. Only the command does this; tests call runImportCommand inside their own process.
 * The priority does not reach PostgreSQL's backend, which does most of the import's work
 * there, so the command also pauses between batches while the CPUs are contended (cpuPacer:
 * PostgreSQL, 1M events, three paired runs, the timeline beside an export and the import
 * answered 433-443 req/s, p99 65-74 ms, against 298-368 req/s, p99 76-105 ms without it).
 */
function yieldCpuToTheSite(): void {
  try {
    os.setPriority(Math.min(19, os.getPriority() + IMPORT_NICENESS));
  } catch {
    // Not allowed here (some containers): the import runs at the usual priority.
  }
}

if (require.main === module) {
  yieldCpuToTheSite();
  runScript(() => runImportCommand(process.argv.slice(2), { afterBatch: cpuPacer() }));
}
