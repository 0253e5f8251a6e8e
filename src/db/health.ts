import { migrations } from '../../db/migrations';
import type { Db } from './knex';
import { databaseFault } from './errors';

/** Seconds a client is told to wait when the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 10;

// Node socket and DNS failures: the server is down, restarting or unreachable.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
]);
// SQLite: another process holds the lock past busy_timeout, or the file cannot be opened or read.
const SQLITE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_READONLY']);
// PostgreSQL SQLSTATEs: admin/crash shutdown, starting up, too many connections, lost connection.
const POSTGRES_STATES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006']);
const MESSAGES = [
  /Timeout acquiring a connection/i,
  /Unable to acquire a connection/i,
  /Connection terminated/i,
  /not queryable/i,
  /Client was closed/i,
  /SQLITE_(BUSY|LOCKED|CANTOPEN)/,
];

interface ErrorLike {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/**
 * The one place that decides whether an error means "the database is away or locked"
 * (as opposed to a bug or bad input): such errors become 503 with Retry-After.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(code) || SQLITE_CODES.has(code) || POSTGRES_STATES.has(code)) return true;
  // A statement cancelled past its budget (src/db/errors.ts): the request gives up, the app serves on.
  if (databaseFault(err)) return true;
  if (e.name === 'KnexTimeoutError') return true;
  if (typeof e.message === 'string' && MESSAGES.some((m) => m.test(e.message as string))) return true;
  // pg wraps socket errors; Node's happy-eyeballs connect gives an AggregateError per address.
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

// Failures to create the SQLite file's folder.
const FILE_CODES = new Set(['EACCES', 'EPERM', 'ENOTDIR', 'EROFS', 'ENOENT', 'EISDIR', 'ENOSPC', 'EEXIST']);

/** One line saying why the configured database cannot be used at start-up, or null for other errors. */
export function startupDatabaseProblem(err: unknown): string | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : '';
  if (!isDatabaseUnavailable(err) && !FILE_CODES.has(code) && code !== '3D000' && code !== '28P01' && code !== '28000') return null;
  const reason = firstLine(typeof e.message === 'string' && e.message ? e.message : code) || 'unknown reason';
  return `DATABASE_URL: cannot use the database (${code && !reason.includes(code) ? `${code}: ` : ''}${reason})`;
}

function firstLine(text: string): string {
  // knex prefixes the failed SQL ("select ... - SQLITE_CANTOPEN: ..."); keep the reason only.
  const line = text.split('\n')[0];
  const dash = line.lastIndexOf(' - ');
  return (dash >= 0 ? line.slice(dash + 3) : line).trim();
}

export interface Health {
  ok: boolean;
  database: 'up' | 'down';
  /** `current`: every migration this build knows has run; `missing`/`behind`: the app cannot serve. */
  schema: 'current' | 'behind' | 'missing' | 'unknown';
}

/** For /healthz: the database answers and its schema is the one this build expects. */
export async function checkHealth(db: Db): Promise<Health> {
  let done: Set<string>;
  try {
    await db.raw('select 1');
  } catch {
    return { ok: false, database: 'down', schema: 'unknown' };
  }
  try {
    const rows: Array<{ name: string }> = await db('knex_migrations').select('name');
    done = new Set(rows.map((r) => r.name));
  } catch (err) {
    // SQLite answers `select 1` without touching the file; a locked file shows here.
    return isDatabaseUnavailable(err)
      ? { ok: false, database: 'down', schema: 'unknown' }
      : { ok: false, database: 'up', schema: 'missing' };
  }
  if (done.size === 0) return { ok: false, database: 'up', schema: 'missing' };
  const current = migrations.every((m) => done.has(m.name));
  return { ok: current, database: 'up', schema: current ? 'current' : 'behind' };
}
