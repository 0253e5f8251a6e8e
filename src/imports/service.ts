import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db/knex';
import type { Editor } from '../history/repo';
import { AppError, NotFound } from '../lib/errors';
import { nowIso } from '../lib/time';
import type { ImportSummary } from './apply';
import type { ImportPlan } from './plan';
import { claimUpload, findUpload, keepUpload, uploadAppliedAt } from './repo';
import { importEvents } from './run';

/** How long an uploaded file waits for confirmation. */
const BATCH_TTL_MS = 60 * 60_000;

export interface DryRun {
  token: string | null;
  filename: string;
  plan: ImportPlan;
  total: number;
}

/** A second confirmation of an upload that was applied: nothing is written twice. */
export class ImportAlreadyApplied extends AppError {
  constructor(appliedAt: string | null) {
    super(
      409,
      'import_already_applied',
      `This import was already applied${appliedAt ? ` (at ${appliedAt})` : ''}; nothing was imported a second time.`,
    );
  }
}

/**
 * Step one: reads and checks the file, writes nothing but the file itself, kept for the
 * confirm step when every row is valid.
 */
export async function dryRunImport(db: Db, userId: number, file: { name: string; content: Buffer }, maxBytes: number): Promise<DryRun> {
  const { plan, total } = await importEvents(db, file.content, {
    by: { id: userId, displayName: '' },
    dryRun: true,
    keepRows: true,
    maxBytes,
  });
  let token: string | null = null;
  if (plan.invalid.length === 0) {
    token = crypto.randomBytes(24).toString('base64url');
    await keepUpload(
      db,
      { token, userId, filename: file.name.slice(0, 255), content: file.content.toString('utf8'), now: nowIso() },
      new Date(Date.now() - BATCH_TTL_MS).toISOString(),
    );
  }
  return { token, filename: file.name, plan, total };
}

/**
 * Step two: applies the file the same analyst uploaded, all rows or none, once. The upload
 * is claimed by a conditional update in the import's own transaction: of confirmations sent
 * at the same time one applies it, and the others are told it was already applied.
 */
export async function confirmImport(
  db: Db,
  by: Editor & { id: number },
  token: string,
  maxBytes: number,
): Promise<ImportSummary & { filename: string }> {
  const batch = await findUpload(db, token, by.id);
  if (!batch || Date.now() - Date.parse(batch.created_at) > BATCH_TTL_MS) {
    throw new NotFound('This import has expired or was already applied. Upload the file again.');
  }
  if (batch.status !== 'pending') throw new ImportAlreadyApplied(batch.applied_at);
  const claim = async (trx: Knex.Transaction) => {
    if (!(await claimUpload(trx, token, by.id, nowIso()))) throw new ImportAlreadyApplied(await uploadAppliedAt(trx, token));
  };
  const { summary } = await importEvents(db, Buffer.from(batch.content, 'utf8'), { by, maxBytes, beforeWrite: claim });
  return { ...(summary as ImportSummary), filename: batch.filename };
}
