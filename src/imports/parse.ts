import { parse as parseStream } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { EVENT_CSV_COLUMNS, type EventCsvColumn } from '../events/csv';
import { AppError } from '../lib/errors';
import { formatSize } from '../lib/size';

/** A file that cannot be imported at all (as opposed to a file with some bad rows). */
export class ImportFileError extends AppError {
  constructor(code: string, message: string, status = 422) {
    super(status, code, message);
  }
}

export interface CsvRow {
  /** Line of the file where the record starts (the header is line 1). */
  line: number;
  cells: Record<EventCsvColumn, string>;
}

export const DEFAULT_IMPORT_MAX_BYTES = 20 * 1024 * 1024;

const CSV_OPTIONS = { bom: true, skip_empty_lines: true, relax_column_count: false } as const;
// Pieces the file is read and parsed in: about a millisecond of parsing each.
const CHUNK_BYTES = 32 * 1024;

const tooLarge = (size: string, maxBytes: number) =>
  new ImportFileError('file_too_large', `The file is ${size}; the limit is ${formatSize(maxBytes)}.`, 413);
const binary = () => new ImportFileError('not_csv', 'This is not a CSV text file (it contains binary data).');
const badEncoding = () => new ImportFileError('bad_encoding', 'The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.');
const empty = () => new ImportFileError('empty_file', 'The file is empty.');

function notCsv(err: unknown): ImportFileError {
  const e = err as { lines?: number; message: string };
  return new ImportFileError(
    'not_csv',
    `The file could not be read as CSV${e.lines ? ` near line ${e.lines}` : ''}: ${e.message.replace(/^Invalid Record Length: /, '')}`,
  );
}

/** Checks the header row; returns a function that turns a record into named cells. */
function readHeader(record: string[]): (r: string[]) => Record<EventCsvColumn, string> {
  const header = record.map((h) => h.trim());
  const missing = EVENT_CSV_COLUMNS.filter((c) => !header.includes(c));
  const unknown = header.filter((h) => !(EVENT_CSV_COLUMNS as readonly string[]).includes(h));
  if (missing.length || unknown.length) {
    throw new ImportFileError(
      'wrong_header',
      `The header row is not the events export's.${missing.length ? ` Missing: ${missing.join(', ')}.` : ''}${unknown.length ? ` Unknown: ${unknown.join(', ')}.` : ''} Expected: ${EVENT_CSV_COLUMNS.join(',')}.`,
    );
  }
  const positions = EVENT_CSV_COLUMNS.map((c) => [c, header.indexOf(c)] as const);
  return (r) => {
    const cells = {} as Record<EventCsvColumn, string>;
    for (const [c, i] of positions) cells[c] = r[i] ?? '';
    return cells;
  };
}

/** Lines a record spans: line numbers count the line breaks inside quoted cells too. */
function lineCount(record: string[]): number {
  let n = 1;
  for (const cell of record) {
    if (cell.includes('\n') || cell.includes('\r')) n += cell.match(/\r\n|\r|\n/g)?.length ?? 0;
  }
  return n;
}

/**
 * Reads a small events CSV held in memory, all at once. Refuses, with a reason a person can
 * act on, a file that is too large, not UTF-8 text, not CSV, or whose header is not the export's.
 */
export function parseEventsCsv(content: Buffer, maxBytes = DEFAULT_IMPORT_MAX_BYTES): CsvRow[] {
  if (content.length > maxBytes) throw tooLarge(formatSize(content.length), maxBytes);
  if (content.length === 0) throw empty();
  if (content.includes(0)) throw binary();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw badEncoding();
  }
  let records: string[][];
  try {
    records = parse(text, CSV_OPTIONS);
  } catch (err) {
    throw notCsv(err);
  }
  if (records.length === 0) throw empty();
  const cellsOf = readHeader(records[0]);
  const rows: CsvRow[] = [];
  let line = 1 + lineCount(records[0]);
  for (const record of records.slice(1)) {
    rows.push({ line, cells: cellsOf(record) });
    line += lineCount(record);
  }
  return rows;
}

export interface ReadOptions {
  /** Refuse a file larger than this; null for no limit (the command line streams any size). */
  maxBytes?: number | null;
  /** Rows per batch handed to the caller. */
  batchSize?: number;
  /** Told how many bytes of the file have been read so far. */
  onBytes?: (bytes: number) => void;
}

async function* chunksOf(input: Buffer | AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  if (Buffer.isBuffer(input)) {
    for (let i = 0; i < input.length; i += CHUNK_BYTES) yield input.subarray(i, i + CHUNK_BYTES);
    return;
  }
  for await (const chunk of input) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, 'utf8');
    for (let i = 0; i < bytes.length; i += CHUNK_BYTES) yield bytes.subarray(i, i + CHUNK_BYTES);
  }
}

/** The file as checked UTF-8 text, a piece at a time: no NUL bytes, no bad sequences, within the limit. */
async function* checkedText(input: Buffer | AsyncIterable<Buffer | string>, options: ReadOptions): AsyncGenerator<string> {
  const maxBytes = options.maxBytes === undefined ? DEFAULT_IMPORT_MAX_BYTES : options.maxBytes;
  if (Buffer.isBuffer(input) && maxBytes !== null && input.length > maxBytes) throw tooLarge(formatSize(input.length), maxBytes);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  for await (const chunk of chunksOf(input)) {
    bytes += chunk.length;
    if (maxBytes !== null && bytes > maxBytes) throw tooLarge(`larger than ${formatSize(maxBytes)}`, maxBytes);
    if (chunk.includes(0)) throw binary();
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw badEncoding();
    }
    options.onBytes?.(bytes);
    if (text) yield text;
  }
  if (bytes === 0) throw empty();
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw badEncoding();
  }
}

/**
 * Reads an events CSV as a stream, in batches of rows, so a file of any size is checked
 * and imported in bounded memory. Same refusals as `parseEventsCsv`.
 */
export async function* readEventsCsv(input: Buffer | AsyncIterable<Buffer | string>, options: ReadOptions = {}): AsyncGenerator<CsvRow[]> {
  const batchSize = options.batchSize ?? 1000;
  // The parser hands over records synchronously as text is written to it, so each piece
  // of the file is parsed, then taken, before the next is read: memory stays at one piece.
  const parser = parseStream(CSV_OPTIONS);
  const records: string[][] = [];
  let failure: unknown = null;
  parser.on('data', (record: string[]) => records.push(record));
  parser.on('error', (err) => (failure ??= err));
  const ended = new Promise<void>((resolve) => {
    parser.once('end', resolve);
    parser.once('close', resolve);
  });
  let cellsOf: ((r: string[]) => Record<EventCsvColumn, string>) | null = null;
  let line = 1;
  let batch: CsvRow[] = [];
  const take = (): CsvRow[][] => {
    const full: CsvRow[][] = [];
    for (const record of records.splice(0)) {
      if (!cellsOf) cellsOf = readHeader(record);
      else {
        batch.push({ line, cells: cellsOf(record) });
        if (batch.length >= batchSize) {
          full.push(batch);
          batch = [];
        }
      }
      line += lineCount(record);
    }
    if (failure) throw notCsv(failure);
    return full;
  };
  try {
    for await (const text of checkedText(input, options)) {
      parser.write(text);
      yield* take();
      // A turn for other callbacks between pieces: the database's, when the next batch is
      // read while it writes this one (a statement is prepared, handed back, then run), and
      // requests', when the server imports an upload.
      await nextTurn();
    }
    parser.end();
    await ended;
    yield* take();
  } finally {
    parser.destroy();
  }
  if (!cellsOf) throw empty();
  if (batch.length) yield batch;
}
