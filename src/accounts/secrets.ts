import crypto from 'node:crypto';
import type { Db } from '../db/knex';
import { nowIso } from '../lib/time';

/**
 * A secret generated once and kept in the database, so every process of the app signs
 * cookies with the same key and restarts keep users signed in.
 */
export async function loadOrCreateSecret(db: Db, name: string): Promise<string> {
  const existing = await db('app_secrets').where({ name }).first('value');
  if (existing) return existing.value as string;
  const value = crypto.randomBytes(32).toString('base64url');
  // Two processes starting together may both try; the primary key keeps the first.
  await db('app_secrets').insert({ name, value, created_at: nowIso() }).onConflict('name').ignore();
  return (await db('app_secrets').where({ name }).first('value')).value as string;
}
