import crypto from 'node:crypto';
import type { Db } from '../db/knex';
import type { Editor } from '../history/repo';
import { NotFound } from '../http/errors';
import { nowIso } from '../lib/time';
import { applyImport, type ImportSummary } from './apply';
import { parseEventsCsv } from './parse';
import { type ImportPlan, planImport } from './plan';

/** How long an uploaded file waits for confirmation. */
const BATCH_TTL_MS = 60 * 60_000;

export interface DryRun {
  token: string | null;
  filename: string;
  plan: ImportPlan;
  total: number;
}

/**
 * Step one: reads and checks the file, writes nothing but the file itself, kept for the
 * confirm step when every row is valid.
 */
export async function dryRunImport(db: Db, userId: number, file: { name: string; content: Buffer }, maxBytes: number): Promise<DryRun> {
  const rows = parseEventsCsv(file.content, maxBytes);
  const plan = await planImport(db, rows);
  let token: string | null = null;
  if (plan.invalid.length === 0) {
    token = crypto.randomBytes(24).toString('base64url');
    await db('import_batches').where('created_at', '<', new Date(Date.now() - BATCH_TTL_MS).toISOString()).del();
    await db('import_batches').insert({ token, user_id: userId, filename: file.name.slice(0, 255), content: file.content.toString('utf8'), created_at: nowIso() });
  }
  return { token, filename: file.name, plan, total: rows.length };
}

/** Step two: applies the file the same analyst uploaded, all rows or none. */
export async function confirmImport(db: Db, by: Editor & { id: number }, token: string, maxBytes: number): Promise<ImportSummary & { filename: string }> {
  const batch = await db('import_batches').where({ token, user_id: by.id }).first();
  if (!batch || Date.now() - Date.parse(batch.created_at) > BATCH_TTL_MS) {
    throw new NotFound('This import has expired or was already applied. Upload the file again.');
  }
  const summary = await applyImport(db, by, parseEventsCsv(Buffer.from(batch.content, 'utf8'), maxBytes));
  await db('import_batches').where({ token }).del();
  return { ...summary, filename: batch.filename };
}

