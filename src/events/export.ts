import type { Request, Response } from 'express';
import { format } from 'date-fns';
import type { Db } from '../db/knex';
import { EVENT_CSV_COLUMNS, eventCsvRecords, writeCsv } from './csv';
import type { EventFilter } from './repo';
import { iterateEvents } from './service';

/** Streams the events matching `filter` as a CSV download named `<prefix>-events-<today>.csv`. */
export async function sendEventsCsv(db: Db, req: Request, res: Response, filter: EventFilter, filePrefix: string): Promise<void> {
  const filename = `${filePrefix}-events-${format(new Date(), 'yyyy-MM-dd')}.csv`;
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  await writeCsv(eventCsvRecords(iterateEvents(db, filter)), EVENT_CSV_COLUMNS, res, { bom: req.query.bom === '1' });
}
