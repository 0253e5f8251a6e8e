import type { Request, Response } from 'express';
import { format } from 'date-fns/format';
import { writeCsv } from '../lib/csv';

/** `<prefix>-<today>.csv`, e.g. kaspersky-lab-events-2026-11-28.csv. */
export function csvFilename(prefix: string): string {
  return `${prefix.replace(/[^a-z0-9-]+/gi, '-')}-${format(new Date(), 'yyyy-MM-dd')}.csv`;
}

/**
 * Streams records as a CSV download; `?bom=1` adds a byte-order mark for Excel. A download
 * that may run long over every row passes `giveWay` (SiteLoad.giveWay), called every few
 * hundred records, so that pages asked for meanwhile are answered first.
 * The first record is read before anything is sent, so a database that is away at the
 * start still gets a proper error response (503). A failure after the header went out
 * destroys the response: the client sees a cut-off download, never a clean, short file.
 */
export async function sendCsv<T extends string>(
  req: Request,
  res: Response,
  filename: string,
  columns: readonly T[],
  records: AsyncIterable<Record<T, string>>,
  giveWay?: () => Promise<void>,
): Promise<void> {
  const iterator = (giveWay ? givingWay(records, giveWay) : records)[Symbol.asyncIterator]();
  const first = await iterator.next();
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  try {
    await writeCsv(resumed(first, iterator), columns, res, { bom: req.query.bom === '1' });
  } catch (err) {
    res.destroy();
    throw err;
  }
}

/** Records a bulk download reads before it gives other requests their turn (see SiteLoad). */
const RECORDS_BETWEEN_TURNS = 200;

async function* givingWay<R>(records: AsyncIterable<R>, giveWay: () => Promise<void>): AsyncGenerator<R> {
  let count = 0;
  for await (const record of records) {
    yield record;
    if (++count % RECORDS_BETWEEN_TURNS === 0) await giveWay();
  }
}

async function* resumed<R>(first: IteratorResult<R>, rest: AsyncIterator<R>): AsyncGenerator<R> {
  if (first.done) return;
  let finished = false;
  try {
    yield first.value;
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
    finished = true;
  } finally {
    // Stopped early (the client went away): let the source release its database cursor.
    if (!finished) await rest.return?.();
  }
}
