import fs from 'node:fs';
import type { Knex } from 'knex';
import { deferInForce, flushInForce } from '../events/inForce';
import { yieldToEventLoop } from '../db/bulk';
import { type Db, withBulkWriteCache } from '../db/knex';
import { refreshStatistics } from '../db/statistics';
import type { Editor } from '../history/repo';
import { AppError } from '../lib/errors';
import { nowIso } from '../lib/time';
import { type ImportSummary, type WriteState, writeBatch, writeDeferredLinks } from './apply';
import { readEventsCsv } from './parse';
import { holdWriteLock } from './repo';
import { finishPlan, type ImportPlan, newPlanState, planBatch, planOf, type PlanState } from './plan';

/** A whole file in memory, or a stream of it (a file read stream, an upload). */
export type ImportInput = Buffer | AsyncIterable<Buffer | string>;

export interface ImportProgress {
  stage: 'checking' | 'importing';
  rows: number;
  bytes: number;
  /** The file's size when known, for a percentage. */
  totalBytes: number | null;
}

export interface ImportOptions {
  by: Editor;
  /** Check the file and report what would change; write nothing. */
  dryRun?: boolean;
  /** Largest file accepted; null for none. Defaults to the upload limit's default. */
  maxBytes?: number | null;
  /** Rows checked and written together. */
  batchSize?: number;
  /** Keep every row for a preview page (only for files that fit in memory). */
  keepRows?: boolean;
  /** The file's size, when known, for progress. */
  totalBytes?: number | null;
  onProgress?: (progress: ImportProgress) => void;
  /** Runs first in the import's transaction, before any row: the web confirmation claims its upload here. */
  beforeWrite?: (trx: Knex.Transaction) => Promise<void>;
  /** Rows created or updated from which PostgreSQL's statistics are refreshed after the commit (10,000). */
  refreshStatisticsAfter?: number;
  /** Awaited after each batch: the import command pauses here while the CPUs are contended (cpuPacer). */
  afterBatch?: () => Promise<void>;
}

export interface ImportResult {
  plan: ImportPlan;
  /** Rows in the file (the header not counted). */
  total: number;
  /** What was written; null for a dry run. */
  summary: ImportSummary | null;
}

const DEFAULT_BATCH_SIZE = 1_000;
/** Rows written from which the import refreshes the database's statistics (src/db/statistics.ts). */
const REFRESH_STATISTICS_AFTER = 10_000;

/**
 * Imports an events CSV (the export's format): checks every row and, unless it is a dry
 * run, writes the file in one transaction, every row or none. The file is read as a
 * stream and handled a batch at a time, so memory stays bounded whatever its size, and
 * the event loop gets a turn after every batch, so the server keeps answering meanwhile.
 *
 * Used by the web import, `npm run import` and the benchmark:
 *   await importEvents(db, fs.createReadStream('events.csv'), { by: { id: null, displayName: 'bench' } })
 */
export async function importEvents(db: Db, input: ImportInput, options: ImportOptions): Promise<ImportResult> {
  if (options.dryRun) return checkFile(db, input, options);
  const result = await db.transaction((trx) => withBulkWriteCache(trx, () => applyFile(trx, input, options)));
  const written = (result.summary?.created ?? 0) + (result.summary?.updated ?? 0);
  if (written >= (options.refreshStatisticsAfter ?? REFRESH_STATISTICS_AFTER)) {
    // The import is in; statistics that cannot be refreshed now are autovacuum's to make later.
    await refreshStatistics(db).catch(() => undefined);
  }
  return result;
}

/** `importEvents` for a file on disk, with its size for progress. */
export async function importFile(db: Db, path: string, options: Omit<ImportOptions, 'totalBytes'>): Promise<ImportResult> {
  const totalBytes = (await fs.promises.stat(path)).size;
  return importEvents(db, fs.createReadStream(path, { highWaterMark: 256 * 1024 }), { maxBytes: null, ...options, totalBytes });
}

/**
 * The batches of `source`, and `prefetch` to start reading and parsing the next one before
 * it is asked for. Parsing a batch of CSV is about 20 ms of JavaScript, in pieces with a turn
 * of the event loop between them (readEventsCsv): a piece parsed while the database answers a
 * small lookup holds that answer back, one parsed while it writes a batch's events (the
 * import calls `prefetch` just after sending that statement) costs no time at all. Asked for
 * without a prefetch, the next batch is read then.
 */
function readAhead<T>(source: AsyncIterable<T>): { items: AsyncGenerator<T>; prefetch: () => void } {
  const it = source[Symbol.asyncIterator]();
  let next: Promise<IteratorResult<T>> | null = null;
  const prefetch = () => {
    if (next) return;
    next = it.next();
    // Awaited when the batch is asked for; marked handled now in case the caller stops before that.
    next.catch(() => undefined);
  };
  async function* items(): AsyncGenerator<T> {
    try {
      for (;;) {
        prefetch();
        const item = await (next as Promise<IteratorResult<T>>);
        next = null;
        if (item.done) return;
        yield item.value;
      }
    } finally {
      await it.return?.(undefined);
    }
  }
  return { items: items(), prefetch };
}

/**
 * The file's batches. `prefetch` (see readAhead) starts on the next one a turn of the event
 * loop later, once the statement just sent is in the database's hands.
 */
function batchesOf(input: ImportInput, options: ImportOptions, onRows: (rows: number, bytes: number) => void) {
  let bytes = 0;
  let rows = 0;
  const ahead = readAhead(
    readEventsCsv(input, { maxBytes: options.maxBytes, batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE, onBytes: (b) => (bytes = b) }),
  );
  async function* batches() {
    for await (const batch of ahead.items) {
      yield batch;
      rows += batch.length;
      onRows(rows, bytes);
      await yieldToEventLoop();
      await options.afterBatch?.();
    }
  }
  return { batches: batches(), prefetch: () => setImmediate(ahead.prefetch) };
}

async function checkFile(db: Db, input: ImportInput, options: ImportOptions): Promise<ImportResult> {
  const state = newPlanState(options.keepRows ?? false);
  let total = 0;
  const progress = (rows: number, bytes: number) => {
    total = rows;
    options.onProgress?.({ stage: 'checking', rows, bytes, totalBytes: options.totalBytes ?? null });
  };
  // Nothing is written: the next batch is read while this one is looked up.
  const { batches, prefetch } = batchesOf(input, options, progress);
  for await (const batch of batches) {
    prefetch();
    await planBatch(db, state, batch);
  }
  finishPlan(state);
  return { plan: planOf(state), total, summary: null };
}

async function applyFile(trx: Knex.Transaction, input: ImportInput, options: ImportOptions): Promise<ImportResult> {
  await holdWriteLock(trx);
  // Measures in force: each touched vendor recomputed once, after the last batch.
  deferInForce(trx);
  await options.beforeWrite?.(trx);
  const state = newPlanState(options.keepRows ?? false);
  let total = 0;
  const progress = (rows: number, bytes: number) => {
    total = rows;
    options.onProgress?.({ stage: 'importing', rows, bytes, totalBytes: options.totalBytes ?? null });
  };
  const { batches, prefetch } = batchesOf(input, options, progress);
  const writer: WriteState = { by: options.by, now: nowIso(), deferredLinks: [], whileEventsWrite: prefetch };
  for await (const batch of batches) {
    const planned = await planBatch(trx, state, batch, { lockRows: true });
    // Once a row is refused nothing will be kept: the rest is only checked, to list every bad row.
    if (state.counts.invalid === 0) await writeBatch(trx, writer, planned);
  }
  finishPlan(state);
  if (state.counts.invalid) {
    throw new AppError(422, 'import_invalid', `${state.counts.invalid} row(s) cannot be imported; nothing was imported.`, {
      invalid: state.invalid,
    });
  }
  await writeDeferredLinks(trx, writer);
  await flushInForce(trx);
  return { plan: planOf(state), total, summary: summaryOf(state) };
}

function summaryOf(state: PlanState): ImportSummary {
  return {
    created: state.counts.create,
    updated: state.counts.update,
    unchanged: state.counts.unchanged,
    newVendors: state.newVendors.size,
    newActors: state.newActors.size,
    newSources: state.newSourceKeys.size,
  };
}
