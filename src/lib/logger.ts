import { types } from 'node:util';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config';

export type { Logger };

const REDACTED = '[redacted]';

// Keys whose values are secrets wherever they appear (top level or one object down).
const SECRET_KEYS = [
  'password',
  'passwordHash',
  'password_hash',
  'token',
  '_csrf',
  'csrfSecret',
  'csrf_secret',
  'sid',
  'sess',
  'cookie',
  'sessionSecret',
  'secret',
  'bindings',
];

/**
 * Paths pino replaces before a line is written. Request and response headers carry the
 * session cookie; a setup link's token sits in the URL, which is cut rather than dropped.
 */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'req.url',
  'url',
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
];

// Query parameters whose values are secrets (the first-admin link's token).
const SECRET_PARAMS = /([?&](?:token|_csrf|password)=)[^&#]*/gi;

function censor(value: unknown, path: string[]): unknown {
  const key = path[path.length - 1];
  if (key === 'url') return typeof value === 'string' ? value.replace(SECRET_PARAMS, `$1${REDACTED}`) : value;
  return REDACTED;
}

/**
 * Removes secrets from text that may quote data: knex puts the failed SQL, with its bound
 * values, at the front of the message (an account insert carries the password hash).
 */
export function scrubText(text: string): string {
  let out = text.replace(/scrypt\$[^\s'",)]*/g, `scrypt$${REDACTED}`);
  if (/\b(insert|update|select|delete|values|returning)\b/i.test(out)) out = out.replace(/'(?:[^']|'')*'/g, `'${REDACTED}'`);
  // Long runs of token alphabet (no '/', so file paths in stacks stay): session ids, CSRF secrets, token hashes.
  return out.replace(/(?<![A-Za-z0-9+_=-])(?=[A-Za-z0-9+_=-]*\d)(?=[A-Za-z0-9+_=-]*[A-Za-z])[A-Za-z0-9+_=-]{32,}/g, REDACTED);
}

const SECRET_KEY_SET = new Set(SECRET_KEYS);

// Errors from native drivers may come from another realm (jest's sandbox), where instanceof fails.
const isError = (value: unknown): value is Error => value instanceof Error || types.isNativeError(value);

/** A copy of an error safe to log: same class for the serializer, scrubbed text, no bound values. */
export function safeError(err: Error, depth = 0): Error {
  const copy = Object.create(Object.getPrototypeOf(err)) as Error & Record<string, unknown>;
  for (const [key, value] of Object.entries(err)) {
    if (SECRET_KEY_SET.has(key) || key === 'sql' || key === 'parameters') continue;
    copy[key] = typeof value === 'string' ? scrubText(value) : isError(value) && depth < 4 ? safeError(value, depth + 1) : value;
  }
  Object.defineProperty(copy, 'message', { value: scrubText(err.message ?? ''), enumerable: false, writable: true });
  Object.defineProperty(copy, 'stack', { value: err.stack ? scrubText(err.stack) : undefined, enumerable: false, writable: true });
  if (isError(err.cause) && depth < 4) Object.defineProperty(copy, 'cause', { value: safeError(err.cause, depth + 1), enumerable: false });
  return copy;
}

/** Runs before pino's (and pino-http's) serializers, so every logged error goes out scrubbed. */
function scrubErrors(object: Record<string, unknown>): Record<string, unknown> {
  let out = object;
  for (const [key, value] of Object.entries(object)) {
    if (isError(value)) {
      if (out === object) out = { ...object };
      out[key] = safeError(value);
    }
  }
  return out;
}

/**
 * JSON lines by default (for log collectors); `logFormat: 'pretty'` prints readable lines.
 * `destination` lets tests read what would be written.
 */
export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { app: 'vendor-policy-tracker' },
    redact: { paths: REDACT_PATHS, censor },
    formatters: { log: scrubErrors },
  };
  if (config.logFormat === 'pretty') {
    const stream = pretty({
      colorize: !destination && process.stdout.isTTY,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,app',
      destination: destination ?? 1,
      sync: true,
    });
    return pino(options, stream);
  }
  return destination ? pino(options, destination) : pino(options);
}
