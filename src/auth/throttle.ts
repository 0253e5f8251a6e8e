import type { Db } from '../db/knex';

/**
 * Counts failed sign-ins per account and per client address in the database, so every
 * app process sees the same counts. Past the limit within the window, the key is
 * locked for a while and sign-in answers 429 with Retry-After.
 */
export const THROTTLE = {
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  maxPerAccount: 5,
  maxPerAddress: 20,
};

export const accountKey = (email: string) => `account:${email}`;
export const addressKey = (ip: string) => `ip:${ip}`;

interface ThrottleRow {
  key: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
}

/** Seconds until the first of `keys` unlocks, or 0 when none is locked. */
export async function lockedForSeconds(db: Db, keys: string[], now = new Date()): Promise<number> {
  const rows: ThrottleRow[] = await db('login_throttle').whereIn('key', keys).whereNotNull('locked_until');
  let wait = 0;
  for (const row of rows) {
    const ms = Date.parse(row.locked_until as string) - now.getTime();
    if (ms > 0) wait = Math.max(wait, Math.ceil(ms / 1000));
  }
  return wait;
}

export async function recordFailure(db: Db, key: string, limit: number, now = new Date()): Promise<void> {
  await db.transaction(async (trx) => {
    const row: ThrottleRow | undefined = await trx('login_throttle').where({ key }).first();
    const fresh = !row || now.getTime() - Date.parse(row.window_started_at) > THROTTLE.windowMs;
    const failures = fresh ? 1 : row.failures + 1;
    const next = {
      failures,
      window_started_at: fresh ? now.toISOString() : row.window_started_at,
      locked_until: failures >= limit ? new Date(now.getTime() + THROTTLE.lockMs).toISOString() : null,
    };
    if (row) await trx('login_throttle').where({ key }).update(next);
    else await trx('login_throttle').insert({ key, ...next });
  });
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db('login_throttle').where({ key }).del();
}
