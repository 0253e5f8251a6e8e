import { parse } from 'csv-parse/sync';
import { EVENT_CSV_COLUMNS, type EventCsvColumn } from '../events/csv';
import { AppError } from '../http/errors';
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

/**
 * Reads an events CSV in the export's format. Refuses, with a reason a person can act on,
 * a file that is too large, not UTF-8 text, not CSV, or whose header is not the export's.
 */
export function parseEventsCsv(content: Buffer, maxBytes = DEFAULT_IMPORT_MAX_BYTES): CsvRow[] {
  if (content.length > maxBytes) {
    throw new ImportFileError('file_too_large', `The file is ${formatSize(content.length)}; the limit is ${formatSize(maxBytes)}.`, 413);
  }
  if (content.length === 0) throw new ImportFileError('empty_file', 'The file is empty.');
  if (content.includes(0)) throw new ImportFileError('not_csv', 'This is not a CSV text file (it contains binary data).');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw new ImportFileError('bad_encoding', 'The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.');
  }
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false, info: false });
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw new ImportFileError('not_csv', `The file could not be read as CSV${e.lines ? ` near line ${e.lines}` : ''}: ${e.message.replace(/^Invalid Record Length: /, '')}`);
  }
  if (records.length === 0) throw new ImportFileError('empty_file', 'The file is empty.');
  const header = records[0].map((h) => h.trim());
  const missing = EVENT_CSV_COLUMNS.filter((c) => !header.includes(c));
  const unknown = header.filter((h) => !(EVENT_CSV_COLUMNS as readonly string[]).includes(h));
  if (missing.length || unknown.length) {
    throw new ImportFileError(
      'wrong_header',
      `The header row is not the events export's.${missing.length ? ` Missing: ${missing.join(', ')}.` : ''}${unknown.length ? ` Unknown: ${unknown.join(', ')}.` : ''} Expected: ${EVENT_CSV_COLUMNS.join(',')}.`,
    );
  }
  const rows: CsvRow[] = [];
  // Line numbers: count the line breaks inside quoted cells too.
  let line = 1 + lineCount(records[0]);
  for (const record of records.slice(1)) {
    const cells = Object.fromEntries(EVENT_CSV_COLUMNS.map((c) => [c, record[header.indexOf(c)] ?? ''])) as Record<EventCsvColumn, string>;
    rows.push({ line, cells });
    line += lineCount(record);
  }
  return rows;
}

function lineCount(record: string[]): number {
  return 1 + record.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
}
