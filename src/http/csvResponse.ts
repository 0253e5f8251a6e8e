import type { Request, Response } from 'express';
import { format } from 'date-fns/format';
import { writeCsv } from '../lib/csv';

/** `<prefix>-<today>.csv`, e.g. kaspersky-lab-events-2026-11-28.csv. */
export function csvFilename(prefix: string): string {
  return `${prefix.replace(/[^a-z0-9-]+/gi, '-')}-${format(new Date(), 'yyyy-MM-dd')}.csv`;
}

/**
 * Streams records as a CSV download; `?bom=1` adds a byte-order mark for Excel.
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
): Promise<void> {
  const iterator = records[Symbol.asyncIterator]();
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
