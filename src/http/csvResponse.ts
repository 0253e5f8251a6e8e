import type { Request, Response } from 'express';
import { format } from 'date-fns';
import { writeCsv } from '../events/csv';

/** `<prefix>-<today>.csv`, e.g. kaspersky-lab-events-2026-11-28.csv. */
export function csvFilename(prefix: string): string {
  return `${prefix.replace(/[^a-z0-9-]+/gi, '-')}-${format(new Date(), 'yyyy-MM-dd')}.csv`;
}

/** Streams records as a CSV download; `?bom=1` adds a byte-order mark for Excel. */
export async function sendCsv<T extends string>(req: Request, res: Response, filename: string, columns: readonly T[], records: AsyncIterable<Record<T, string>>): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  await writeCsv(records, columns, res, { bom: req.query.bom === '1' });
}
