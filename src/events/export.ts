import type { Request, Response } from 'express';
import type { Db } from '../db/knex';
import { csvFilename } from '../http/csvResponse';
import { neutraliseCell } from '../lib/csv';
import { precisionOf } from '../lib/partialDate';
import { EVENT_CSV_COLUMNS } from './csv';
import { type EventCursor, type EventExportRow, type EventFilter, findEventExportRows } from './repo';

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
 * The export as text in pieces of about CHUNK_CHARS, read a page at a time by key so memory
 * stays flat. The next page is asked for before the current one is formatted, so the
 * database reads while JavaScript writes.
 */
async function* exportChunks(db: Db, filter: EventFilter): AsyncGenerator<string> {
  let pending: Promise<EventExportRow[]> | null = findEventExportRows(db, filter, EXPORT_PAGE_ROWS);
  try {
    while (pending) {
      const rows: EventExportRow[] = await pending;
      pending = null;
      if (rows.length === EXPORT_PAGE_ROWS) {
        const last = rows[rows.length - 1];
        const cursor: EventCursor = { occurredStart: last.occurred_start, id: Number(last.id) };
        pending = findEventExportRows(db, filter, EXPORT_PAGE_ROWS, cursor);
      }
      if (rows.length === 0) return;
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
    // Stopped early (the client went away): the page read ahead is not wanted, nor its failure.
    pending?.catch(() => undefined);
  }
}

function written(res: Response, text: string): Promise<void> | undefined {
  if (res.write(text)) return undefined;
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

/**
 * Streams the events matching `filter` as `<prefix>-events-<today>.csv`. The first page is
 * read before anything is sent, so a database that is away gets a proper error page; a
 * failure after the header went out cuts the download off rather than end it cleanly.
 */
export async function sendEventsCsv(db: Db, req: Request, res: Response, filter: EventFilter, filePrefix: string): Promise<void> {
  const chunks = exportChunks(db, filter);
  const first = await chunks.next();
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${csvFilename(`${filePrefix}-events`)}"`);
  res.setHeader('Cache-Control', 'no-store');
  try {
    await written(res, (req.query.bom === '1' ? BOM : '') + csvLine(EVENT_CSV_COLUMNS) + (first.done ? '' : first.value));
    if (!first.done) {
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) await written(res, next.value);
    }
    res.end();
  } catch (err) {
    await chunks.return(undefined);
    res.destroy();
    if (res.closed && !res.writableFinished && (err as Error).message === 'the client closed the connection') return;
    throw err;
  }
}
