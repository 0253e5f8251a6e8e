import type { Request, Response } from 'express';
import type { Db } from '../db/knex';
import { csvFilename, sendCsv } from '../http/csvResponse';
import { EVENT_CSV_COLUMNS, eventCsvRecords } from './csv';
import type { EventFilter } from './repo';
import { iterateEvents } from './service';

/** Streams the events matching `filter` as `<prefix>-events-<today>.csv`. */
export async function sendEventsCsv(db: Db, req: Request, res: Response, filter: EventFilter, filePrefix: string): Promise<void> {
  await sendCsv(req, res, csvFilename(`${filePrefix}-events`), EVENT_CSV_COLUMNS, eventCsvRecords(iterateEvents(db, filter)));
}
