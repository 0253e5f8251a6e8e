import { type Db, isPostgres } from '../db/knex';

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

/**
 * Counts a sign-in attempt against `key` before the password is checked, so attempts sent
 * in parallel cannot all slip under the limit. Returns the seconds the key stays locked
 * (0 when the attempt may go ahead). A successful sign-in gives the attempt back.
 */
export async function countAttempt(db: Db, key: string, limit: number, now = new Date()): Promise<number> {
  return db.transaction(async (trx) => {
    await trx('login_throttle')
      .insert({ key, failures: 0, window_started_at: now.toISOString(), locked_until: null })
      .onConflict('key')
      .ignore();
    const query = trx('login_throttle').where({ key }).first();
    // SQLite runs one transaction at a time; PostgreSQL needs the row locked.
    if (isPostgres(db)) query.forUpdate();
    const row: ThrottleRow = await query;
    const lockedMs = row.locked_until ? Date.parse(row.locked_until) - now.getTime() : 0;
    if (lockedMs > 0) return Math.ceil(lockedMs / 1000);
    const fresh = now.getTime() - Date.parse(row.window_started_at) > THROTTLE.windowMs || row.locked_until !== null;
    const failures = fresh ? 1 : row.failures + 1;
    const locked = failures > limit;
    await trx('login_throttle')
      .where({ key })
      .update({
        failures,
        window_started_at: fresh ? now.toISOString() : row.window_started_at,
        locked_until: locked ? new Date(now.getTime() + THROTTLE.lockMs).toISOString() : null,
      });
    return locked ? Math.ceil(THROTTLE.lockMs / 1000) : 0;
  });
}

/** After a successful sign-in: the account starts afresh, the address gets its attempt back. */
export async function forgiveAttempt(db: Db, account: string, address: string): Promise<void> {
  await db('login_throttle').where({ key: account }).del();
  await db('login_throttle').where({ key: address }).where('failures', '>', 0).decrement('failures', 1);
}
