import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';

/**
 * Spreadsheet programs run a cell that begins with `=`, `+`, `-` or `@` as a formula,
 * and some also treat a leading tab or carriage return that way. Following the OWASP
 * guidance on CSV injection, such a cell gets a leading apostrophe, which spreadsheets
 * show as plain text.
 *
 * The sign may hide behind characters a reader cannot see and a spreadsheet may skip
 * (white space, zero-width and other format characters, blank fillers), and spreadsheets
 * in East Asian locales also take the full-width and small-form signs, so those count too.
 */

// White space, control and format characters (Unicode Cf: zero-width space, joiners,
// word joiner, bidi marks, byte order mark, soft hyphen...) and the blank filler letters.
const INVISIBLE = String.raw`[\s\p{Cc}\p{Cf}\p{Zs}\u115F\u1160\u3164\uFFA0\u2800]`;
// = + - @, full-width ＝ ＋ － ＠, small-form ﹦ ﹢ ﹣ ﹫, and the minus sign −.
const FORMULA_SIGN = String.raw`[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B\u2212]`;
const FORMULA_START = new RegExp(String.raw`^(?:[\t\r]|${INVISIBLE}*${FORMULA_SIGN})`, 'u');

/**
 * Whether a cell needs the apostrophe. A cell that already begins with one needs another
 * when the rest would need it, so removing one apostrophe on import gives back exactly
 * what was exported.
 */
function needsGuard(value: string): boolean {
  // No formula start begins with an apostrophe, so only the text after all of them can.
  return FORMULA_START.test(value.replace(/^'+/, ''));
}

export function neutraliseCell(value: string): string {
  // Most cells start with a plain letter or digit, which no formula start begins with.
  const first = value.charCodeAt(0);
  if ((first >= 48 && first <= 57) || (first >= 65 && first <= 90) || (first >= 97 && first <= 122)) return value;
  return needsGuard(value) ? `'${value}` : value;
}

/** The exact inverse of `neutraliseCell`: for reading back a CSV the app wrote. */
export function unneutraliseCell(cell: string): string {
  return cell.startsWith("'") && needsGuard(cell.slice(1)) ? cell.slice(1) : cell;
}

/** Joins a multi-valued cell. */
export const MULTI_VALUE_SEPARATOR = ' | ';

export function joinValues(values: ReadonlyArray<string | null | undefined>): string {
  return values.filter((v): v is string => !!v).join(MULTI_VALUE_SEPARATOR);
}

const BOM = '\ufeff';

/**
 * Writes records as RFC 4180 CSV (CRLF, quoted where needed, header always present),
 * neutralising cells a spreadsheet would run as formulas. Streams with backpressure.
 */
export async function writeCsv<T extends string>(
  records: AsyncIterable<Record<T, string>>,
  columns: readonly T[],
  out: Writable,
  options: { bom?: boolean } = {},
): Promise<void> {
  const neutralise = new Transform({
    objectMode: true,
    transform(record: Record<T, string>, _enc, done) {
      const safe: Record<string, string> = {};
      for (const c of columns) safe[c] = neutraliseCell(record[c] ?? '');
      done(null, safe);
    },
  });
  // csv-stringify quotes only cells that contain the record delimiter (CRLF); a bare LF
  // or CR must be quoted too, or spreadsheets split the row.
  const stringifier = stringify({ header: true, columns: columns.map(String), record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
  if (options.bom) out.write(BOM);
  await pipeline(Readable.from(records), neutralise, stringifier, out);
}
