/**
 * What a database error means, whichever driver raised it. The rest of the app asks these
 * questions instead of reading sqlite3 messages or PostgreSQL SQLSTATE codes itself.
 */

export type ConstraintKind = 'unique' | 'not_null' | 'foreign_key';

export interface ConstraintViolation {
  kind: ConstraintKind;
  /** The table, when the driver says (always on PostgreSQL; from the message on SQLite for unique and not-null). */
  table: string | null;
  /** The columns the constraint covers, when known. */
  columns: string[];
}

interface DriverError {
  code?: unknown;
  message?: unknown;
  table?: unknown;
  column?: unknown;
  detail?: unknown;
}

function asDriverError(err: unknown): DriverError | null {
  return typeof err === 'object' && err !== null ? (err as DriverError) : null;
}

const PG_CONSTRAINT_CODES: Record<string, ConstraintKind> = { '23505': 'unique', '23502': 'not_null', '23503': 'foreign_key' };

function pgViolation(e: DriverError): ConstraintViolation | null {
  const kind = typeof e.code === 'string' ? PG_CONSTRAINT_CODES[e.code] : undefined;
  if (!kind) return null;
  const table = typeof e.table === 'string' ? e.table : null;
  if (kind === 'not_null') return { kind, table, columns: typeof e.column === 'string' ? [e.column] : [] };
  // "Key (slug)=(x) already exists." / "Key (a, b)=(1, 2) is not present in table ..."
  const keys = typeof e.detail === 'string' ? /^Key \(([^)]*)\)=/.exec(e.detail) : null;
  return { kind, table, columns: keys ? keys[1].split(',').map((c) => c.trim().replace(/^"|"$/g, '')) : [] };
}

function sqliteViolation(e: DriverError): ConstraintViolation | null {
  if (typeof e.code !== 'string' || !e.code.startsWith('SQLITE_CONSTRAINT') || typeof e.message !== 'string') return null;
  if (/FOREIGN KEY constraint failed/.test(e.message)) return { kind: 'foreign_key', table: null, columns: [] };
  // "UNIQUE constraint failed: vendors.slug" (or "t.a, t.b"); a primary key reads the same way.
  const match = /(UNIQUE|NOT NULL) constraint failed: (.+)$/.exec(e.message);
  if (!match) return null;
  const qualified = match[2].split(',').map((c) => c.trim());
  const table = qualified[0].includes('.') ? qualified[0].split('.')[0] : null;
  return { kind: match[1] === 'UNIQUE' ? 'unique' : 'not_null', table, columns: qualified.map((c) => c.split('.').pop() as string) };
}

/** The constraint a failed write broke, or null when the error is something else. */
export function constraintViolation(err: unknown): ConstraintViolation | null {
  const e = asDriverError(err);
  if (!e) return null;
  return sqliteViolation(e) ?? pgViolation(e);
}

/** True when `err` is a unique violation on `table` (and on `column`, when given). */
export function isUniqueViolation(err: unknown, table: string, column?: string): boolean {
  const v = constraintViolation(err);
  if (!v || v.kind !== 'unique') return false;
  if (v.table !== null && v.table !== table) return false;
  return column === undefined || v.columns.length === 0 || v.columns.includes(column);
}

/**
 * What `work` gives, except that a unique violation on `table`.`column` is replaced by the
 * error `instead` makes (a form's "already exists"): the usual check-then-insert loses a race
 * to a concurrent insert, and the constraint has the last word.
 */
export async function onUniqueViolation<T>(
  table: string,
  column: string,
  instead: () => Error | Promise<Error>,
  work: Promise<T>,
): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (isUniqueViolation(err, table, column)) throw await instead();
    throw err;
  }
}

/**
 * Runs `work` again (a few times) when it fails on one of the listed unique keys: the usual
 * shape is a transaction that looks for a free value or an existing row, then inserts, and a
 * concurrent transaction took that value in between. The retry sees the other's row.
 */
export async function retryOnUniqueViolation<T>(
  keys: ReadonlyArray<readonly [table: string, column: string]>,
  work: () => Promise<T>,
  attempts = 10,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= attempts || !keys.some(([table, column]) => isUniqueViolation(err, table, column))) throw err;
    }
  }
}

export type DatabaseFault = 'busy' | 'timeout';

const PG_FAULTS: Record<string, DatabaseFault> = {
  '55P03': 'busy', // lock_not_available
  '40001': 'busy', // serialization_failure
  '40P01': 'busy', // deadlock_detected
  '57014': 'timeout', // query_canceled (statement_timeout)
};

/**
 * 'busy' when another writer held the database longer than we wait for it, 'timeout' when a
 * statement ran past its budget; null for anything else. Both are worth a 503 and a retry later.
 */
export function databaseFault(err: unknown): DatabaseFault | null {
  const e = asDriverError(err);
  if (!e || typeof e.code !== 'string') return null;
  if (e.code === 'SQLITE_BUSY' || e.code === 'SQLITE_LOCKED') return 'busy';
  if (e.code === 'SQLITE_INTERRUPT' || e.code === STATEMENT_TIMEOUT_CODE) return 'timeout';
  return PG_FAULTS[e.code] ?? null;
}

export const STATEMENT_TIMEOUT_CODE = 'STATEMENT_TIMEOUT';

/** A statement cancelled because it ran longer than the configured budget. */
export class StatementTimeout extends Error {
  readonly code = STATEMENT_TIMEOUT_CODE;
  constructor(
    readonly budgetMs: number,
    readonly sql: string,
  ) {
    super(`A database statement ran longer than ${budgetMs} ms and was cancelled.`);
    this.name = 'StatementTimeout';
  }
}

/** Waiting for this process's own writer took longer than the busy timeout. */
export class WriteLaneBusy extends Error {
  readonly code = 'SQLITE_BUSY';
  constructor(readonly waitedMs: number) {
    super(`database is locked: another write in this process held it for more than ${waitedMs} ms`);
    this.name = 'WriteLaneBusy';
  }
}
