import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { DEFAULTS, type PasswordHashingConfig } from '../lib/config';
import { AppError } from '../lib/errors';

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

/** OWASP's scrypt parameters: N = 2^17, r = 8, p = 1. New hashes take N from config. */
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
// scrypt needs 128 * N * r bytes; give it a little headroom.
const maxmem = (N: number, r: number) => 128 * N * r + 1024 * 1024;
// A stored hash names its own cost; refuse costs no hash of ours uses, so a tampered
// row cannot make one check take minutes or gigabytes.
const MAX_STORED = { N: 2 ** 20, r: 32, p: 16 };

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  if (new Set(password).size < 4) return 'Use more than three different characters.';
  return null;
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64: the hash carries its own cost. */
export async function hashPassword(password: string, N: number = DEFAULTS.passwordHashing.scryptN): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N, r: R, p: P, maxmem: maxmem(N, R) });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Checks a password against a stored hash, at the cost the hash was made with. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (!usableCost(N, r, p)) return false;
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (expected.length === 0) return false;
  const key = await scrypt(password.normalize('NFC'), salt, expected.length, { N, r, p, maxmem: maxmem(N, r) });
  return crypto.timingSafeEqual(key, expected);
}

function usableCost(N: number, r: number, p: number): boolean {
  const whole = [N, r, p].every((v) => Number.isSafeInteger(v) && v >= 1);
  return whole && N > 1 && (N & (N - 1)) === 0 && N <= MAX_STORED.N && r <= MAX_STORED.r && p <= MAX_STORED.p;
}

/** Every hashing slot and queue place is taken: the client should retry shortly. */
export class HashingBusy extends AppError {
  constructor(readonly retryAfterSeconds = 5) {
    super(503, 'busy', 'The server is busy checking passwords. Try again in a few seconds.', {
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}

/**
 * At most `running` tasks at once and `waiting` more in line; past that, `run` refuses
 * at once. scrypt holds a libuv thread for its whole run, and the database driver needs
 * those threads too, so an unbounded burst of sign-ins would stall every query.
 */
export class Semaphore {
  private active = 0;
  private readonly line: Array<() => void> = [];

  constructor(
    readonly running: number,
    readonly waiting: number,
  ) {}

  get inUse(): { running: number; waiting: number } {
    return { running: this.active, waiting: this.line.length };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.running) {
      if (this.line.length >= this.waiting) throw new HashingBusy();
      await new Promise<void>((resolve) => this.line.push(resolve));
    } else {
      this.active += 1;
    }
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next in line, so `active` never drops below what runs.
      const next = this.line.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

/** Password hashing for one app: cost from config, bounded concurrency. */
export interface PasswordHasher {
  readonly limiter: Semaphore;
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
  /** Spends a check when there is no account, so timing does not tell which emails exist. */
  verifyWithoutAccount(password: string): Promise<false>;
}

export function createPasswordHasher(config: PasswordHashingConfig = DEFAULTS.passwordHashing): PasswordHasher {
  const limiter = new Semaphore(config.concurrency, config.queue);
  let dummy: Promise<string> | undefined;
  const dummyHash = () => (dummy ??= hashPassword(crypto.randomBytes(16).toString('hex'), config.scryptN));
  return {
    limiter,
    hash: (password) => limiter.run(() => hashPassword(password, config.scryptN)),
    verify: (password, stored) => limiter.run(() => verifyPassword(password, stored)),
    async verifyWithoutAccount(password) {
      const stored = await dummyHash();
      await limiter.run(() => verifyPassword(password, stored));
      return false;
    },
  };
}
