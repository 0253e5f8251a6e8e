import crypto from 'node:crypto';
import type { Db } from '../db/knex';
import { nowIso } from '../lib/time';

const sha256 = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/** Creates a one-time setup token, replacing any unused one; only its hash is stored. */
export async function createSetupToken(db: Db): Promise<string> {
  const token = crypto.randomBytes(24).toString('base64url');
  // Only the link printed last works: a restart retires the one printed before.
  await db('setup_tokens').whereNull('used_at').del();
  await db('setup_tokens').insert({ token_hash: sha256(token), created_at: nowIso(), used_at: null });
  return token;
}

export async function isSetupTokenValid(db: Db, token: string): Promise<boolean> {
  if (!token || token.length > 100) return false;
  return !!(await db('setup_tokens')
    .where({ token_hash: sha256(token) })
    .whereNull('used_at')
    .first('id'));
}

/** Marks the token used; false when it was already used (or never existed). */
export async function consumeSetupToken(db: Db, token: string): Promise<boolean> {
  const updated = await db('setup_tokens')
    .where({ token_hash: sha256(token) })
    .whereNull('used_at')
    .update({ used_at: nowIso() });
  return Number(updated) === 1;
}
