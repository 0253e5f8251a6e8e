import type { Request, Response } from 'express';
import { yieldToEventLoop } from '../db/bulk';
import type { Db } from '../db/knex';
import { csvFilename } from '../http/csvResponse';
import { neutraliseCell } from '../lib/csv';
import { precisionOf } from '../lib/partialDate';
import { EVENT_CSV_COLUMNS } from './csv';
import { type EventCursor, type EventExportRow, type EventFilter, type ExportPage, findEventExportRows, findEventKeys } from './repo';

/**
 * Rows per query: large enough that the per-query cost vanishes, small enough that a page
 * is formatted and gone before the garbage collector's young generation is swept twice:
 * whatever survives that is moved to the old generation, which is only cleared by a full
 * collection, so big pages made the heap (and RSS) grow through a long export.
 */
const EXPORT_PAGE_ROWS = 500;
/**
 * Characters handed to the response at a time. Well under V8's large-object size (a string
 * above it is allocated straight in the old generation), so each piece dies young.
 */
const CHUNK_CHARS = 32 * 1024;
const BOM = '\ufeff';

/**
 * The export's cells of one row, in EVENT_CSV_COLUMNS order; the same values the hydrated
 * event gives (src/events/csv.ts), read from one flat row.
 */
function cellsOf(row: EventExportRow): string[] {
  return [
    row.public_id,
    row.occurred_on,
    precisionOf(row.occurred_on),
    row.effective_on ?? '',
    row.vendors ?? '',
    row.jurisdiction,
    row.actor ?? '',
    row.affected ?? '',
    row.type,
    row.title,
    row.summary,
    row.responds_to ?? '',
    row.source_titles ?? '',
    row.source_urls ?? '',
    row.updated_at,
  ];
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell: neutralised against formulas, quoted (RFC 4180) when it holds a comma, quote or line break. */
function csvCell(value: string): string {
  const safe = neutraliseCell(value);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/**
 * Pages read side by side: the database works on the next ones while JavaScript writes one.
 * One while other requests are being answered (see exportChunks).
 */
const PAGES_AHEAD = 2;
/** Pages whose boundaries one read of keys gives. */
const PAGES_PER_KEY_READ = 8;

/** How the export is read: page size, pages per read of keys, pages read at once (smaller in tests). */
export interface ExportReading {
  pageRows: number;
  pagesPerKeyRead: number;
  pagesAhead: number;
}

const READING: ExportReading = { pageRows: EXPORT_PAGE_ROWS, pagesPerKeyRead: PAGES_PER_KEY_READ, pagesAhead: PAGES_AHEAD };

/**
 * The export cut into pages of EXPORT_PAGE_ROWS keys, read ahead from the timeline index a
 * few pages at a time. Each page is then read by its own keys, so pages do not wait on each
 * other and several can be read at once; between them they hold every row once.
 */
async function* pageKeys(db: Db, filter: EventFilter, reading: ExportReading): AsyncGenerator<ExportPage> {
  let after: EventCursor | undefined;
  for (;;) {
    const keys = await findEventKeys(db, filter, reading.pageRows * reading.pagesPerKeyRead, after);
    for (let start = 0; start < keys.length; start += reading.pageRows) {
      const page = keys.slice(start, start + reading.pageRows);
      yield { after, keys: page };
      after = page[page.length - 1];
    }
    if (keys.length < reading.pageRows * reading.pagesPerKeyRead) return;
  }
}

/**
 * The export as text in pieces of about CHUNK_CHARS, read a page at a time by key so memory
 * stays flat. The next pages are asked for before the current one is formatted, so the
 * database reads while JavaScript writes; while `othersActive()` says other requests are being
 * answered, only the next one. A page costs PostgreSQL about 30 ms of CPU (500 rows at 1M
 * events), so two read at once held both cores of a two-core machine, and the pages' own
 * queries waited behind them: the timeline's p99 beside an export and an import went from
 * 120-128 ms to 81-91 ms with one (three paired runs); an export alone reads two.
 */
export async function* exportChunks(
  db: Db,
  filter: EventFilter,
  reading: ExportReading = READING,
  othersActive: () => boolean = () => false,
): AsyncGenerator<string> {
  const ranges = pageKeys(db, filter, reading);
  const pending: Array<Promise<EventExportRow[]>> = [];
  let more = true;
  const readAhead = async () => {
    while (more && pending.length < (othersActive() ? 1 : reading.pagesAhead)) {
      const next = await ranges.next();
      if (next.done) {
        more = false;
        return;
      }
      // A page holds its events as they are when it is read (see findEventExportRows).
      const page = findEventExportRows(db, filter, next.value);
      // Awaited in turn below; marked handled now so a failure while it waits is not "unhandled".
      page.catch(() => undefined);
      pending.push(page);
    }
  };
  try {
    await readAhead();
    for (let page = pending.shift(); page; page = pending.shift()) {
      const rows = await page;
      await readAhead();
      let lines: string[] = [];
      let size = 0;
      for (const row of rows) {
        const line = csvLine(cellsOf(row));
        lines.push(line);
        size += line.length;
        if (size >= CHUNK_CHARS) {
          yield lines.join('');
          lines = [];
          size = 0;
        }
      }
      if (lines.length) yield lines.join('');
    }
  } finally {
    // Stopped early (the client went away): the pages read ahead are not wanted.
    await ranges.return(undefined);
  }
}

/**
 * Text the response may hold unsent before the export waits for it to drain. Above the
 * socket's 16 KB mark, so a reader that keeps up is not made to wait for the socket to empty
 * after every piece (the loop in sendEventsCsv only gives other requests a turn), and still
 * small enough to keep memory flat.
 */
const UNSENT_BYTES = 256 * 1024;

function written(res: Response, text: string): Promise<void> | undefined {
  // Gone without a drain to wait for: stop reading rather than format the rest for no one.
  if (res.destroyed) return Promise.reject(new Error('the client closed the connection'));
  if (res.write(text) || res.writableLength < UNSENT_BYTES) return undefined;
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      res.off('drain', done);
      res.off('close', closed);
      if (err) reject(err);
      else resolve();
    };
    const closed = () => done(new Error('the client closed the connection'));
    res.on('drain', done);
    res.on('close', closed);
  });
}

/** How a download shares the site: its turn between pieces, and whether other requests are being answered. */
export interface BulkShare {
  giveWay: () => Promise<void>;
  othersActive: () => boolean;
}

const ALONE: BulkShare = { giveWay: yieldToEventLoop, othersActive: () => false };

/**
 * Streams the events matching `filter` as `<prefix>-events-<today>.csv`. The first page is
 * read before anything is sent, so a database that is away gets a proper error page; a
 * failure after the header went out cuts the download off rather than end it cleanly.
 */
export async function sendEventsCsv(
  db: Db,
  req: Request,
  res: Response,
  filter: EventFilter,
  filePrefix: string,
  share: BulkShare = ALONE,
): Promise<void> {
  const chunks = exportChunks(db, filter, READING, share.othersActive);
  const first = await chunks.next();
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${csvFilename(`${filePrefix}-events`)}"`);
  res.setHeader('Cache-Control', 'no-store');
  try {
    await written(res, (req.query.bom === '1' ? BOM : '') + csvLine(EVENT_CSV_COLUMNS) + (first.done ? '' : first.value));
    if (!first.done) {
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        await written(res, next.value);
        // Other requests' turn after each piece. Without it, pages already read ahead and a
        // socket that keeps up let the export format page after page in one turn of the event
        // loop, and a page request arriving meanwhile waited for all of them (PostgreSQL, 1M
        // events: the timeline's p99 beside an export and an import went from 2.6-7.4x its idle
        // p99 to 2.2-2.7x in four paired runs; the export's rows/s did not change).
        // The whole-database export also waits while pages are being answered (SiteLoad):
        // SQLite, 1M events, four paired runs, the timeline beside an export and an import
        // answered 730-1,013 req/s (p99 29-36 ms) against 356-446 (p99 49-59 ms) without it.
        await share.giveWay();
      }
    }
    res.end();
  } catch (err) {
    await chunks.return(undefined);
    res.destroy();
    if (res.closed && !res.writableFinished && (err as Error).message === 'the client closed the connection') return;
    throw err;
  }
}
