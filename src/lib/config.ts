import path from 'node:path';
import { z } from 'zod';

/** Everything the app reads from its environment, parsed once at start-up. */
export interface Config {
  readonly port: number;
  readonly database: DatabaseConfig;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Load the sourced demo data when the database holds no events yet. */
  readonly loadDemoData: boolean;
  /** Mark the session cookie Secure (set when the app is served over HTTPS). */
  readonly cookieSecure: boolean;
  /** express's `trust proxy` setting: false, true, a hop count, or addresses. */
  readonly trustProxy: boolean | number | string;
  /** Signs session cookies; when unset, one is generated once and kept in the database. */
  readonly sessionSecret?: string;
  /** A session ends after this long without a request... */
  readonly sessionIdleMinutes: number;
  /** ...and in any case this long after sign-in. */
  readonly sessionMaxHours: number;
  /** The largest CSV file an import accepts, in bytes. */
  readonly importMaxBytes: number;
  /** `json` (default, for log collectors) or `pretty` (readable lines for people). */
  readonly logFormat?: LogFormat;
  /** How long a stopping server waits for responses in flight (a large export) before it gives up. */
  readonly shutdownDrainSeconds?: number;
  /** scrypt cost for new password hashes and how many hashes may run or wait at once. */
  readonly passwordHashing?: PasswordHashingConfig;
}

export type LogFormat = 'json' | 'pretty';

export interface PasswordHashingConfig {
  /** scrypt's CPU/memory cost N, a power of two; stored hashes keep their own N. */
  readonly scryptN: number;
  /** Hashes computed at the same time; each holds one libuv thread. */
  readonly concurrency: number;
  /** Hashes that may wait for a turn; beyond them requests get 503. */
  readonly queue: number;
}

/** What the app uses when the config leaves a setting out (tests and scripts build configs by hand). */
export const DEFAULTS = {
  shutdownDrainSeconds: 120,
  passwordHashing: { scryptN: 2 ** 17, concurrency: 2, queue: 8 } as PasswordHashingConfig,
};

export type DatabaseConfig = (
  | { readonly client: 'sqlite'; readonly filename: string }
  | { readonly client: 'postgres'; readonly connectionString: string; readonly schema?: string }
) & {
  /** The longest one statement may run before it is cancelled (503); 0 for no limit. Default in src/db/knex.ts. */
  readonly statementTimeoutMs?: number;
  /** SQLite: how long a write waits for another writer before answering busy (503). */
  readonly busyTimeoutMs?: number;
};

export const DEFAULT_SQLITE_FILE = path.join('data', 'tracker.sqlite');

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  PORT: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(3000),
  DATABASE_URL: z.string().trim().min(1, 'must not be empty').default(DEFAULT_SQLITE_FILE),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  LOAD_DEMO_DATA: booleanFlag.default(true),
  COOKIE_SECURE: booleanFlag.default(false),
  TRUST_PROXY: z.string().trim().default('false'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_IDLE_MINUTES: z.coerce
    .number({ message: 'must be a number' })
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(120),
  SESSION_MAX_HOURS: z.coerce
    .number({ message: 'must be a number' })
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  IMPORT_MAX_MB: z.coerce.number({ message: 'must be a number' }).positive().max(1024).default(20),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(0)
    .max(3_600_000)
    .default(15_000),
  SQLITE_BUSY_TIMEOUT_MS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(0).max(600_000).default(5_000),
  LOG_FORMAT: z.enum(['json', 'pretty'], { message: 'must be json or pretty' }).default('json'),
  SHUTDOWN_DRAIN_SECONDS: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(1)
    .max(3600)
    .default(DEFAULTS.shutdownDrainSeconds),
  SCRYPT_N: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(2 ** 14, 'must be at least 16384')
    .max(2 ** 20, 'must be at most 1048576')
    .refine((n) => (n & (n - 1)) === 0, 'must be a power of two')
    .default(DEFAULTS.passwordHashing.scryptN),
  HASH_CONCURRENCY: z.coerce.number({ message: 'must be a number' }).int().min(1).max(16).default(DEFAULTS.passwordHashing.concurrency),
  HASH_QUEUE: z.coerce.number({ message: 'must be a number' }).int().min(0).max(1000).default(DEFAULTS.passwordHashing.queue),
});

/** `TRUST_PROXY`: true/false, a number of hops, or a list of addresses or subnets for express. */
function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false' || value === '') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/**
 * Reads `DATABASE_URL`: a `postgres://` (or `postgresql://`) URL selects PostgreSQL;
 * a `sqlite:` URL or a plain file path selects SQLite.
 */
export function parseDatabaseUrl(value: string): DatabaseConfig {
  if (/^postgres(ql)?:\/\//i.test(value)) {
    try {
      new URL(value);
    } catch {
      throw new ConfigError(['DATABASE_URL is not a valid PostgreSQL URL']);
    }
    return { client: 'postgres', connectionString: value };
  }
  if (/^sqlite:/i.test(value)) {
    const rest = value.replace(/^sqlite:(\/\/)?/i, '');
    if (!rest) throw new ConfigError(['DATABASE_URL sqlite: URL names no file']);
    return { client: 'sqlite', filename: decodeURIComponent(rest) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new ConfigError([`DATABASE_URL must be a SQLite file path, a sqlite: URL or a postgres:// URL`]);
  }
  return { client: 'sqlite', filename: value };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`));
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    database: Object.freeze({
      ...parseDatabaseUrl(e.DATABASE_URL),
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      busyTimeoutMs: e.SQLITE_BUSY_TIMEOUT_MS,
    }),
    logLevel: e.LOG_LEVEL,
    loadDemoData: e.LOAD_DEMO_DATA,
    cookieSecure: e.COOKIE_SECURE,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    sessionSecret: e.SESSION_SECRET,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    importMaxBytes: Math.round(e.IMPORT_MAX_MB * 1024 * 1024),
    logFormat: e.LOG_FORMAT,
    shutdownDrainSeconds: e.SHUTDOWN_DRAIN_SECONDS,
    passwordHashing: Object.freeze({ scryptN: e.SCRYPT_N, concurrency: e.HASH_CONCURRENCY, queue: e.HASH_QUEUE }),
  });
}
