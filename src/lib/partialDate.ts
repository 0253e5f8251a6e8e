import { format } from 'date-fns/format';
import { parseISO } from 'date-fns/parseISO';

/**
 * A civil date known to a year, a month or a day: `2018`, `2018-06`, `2018-06-13`.
 * Stored as entered; its first day (`startOf`) is the sort and filter key.
 */
export type Precision = 'year' | 'month' | 'day';

export interface PartialDate {
  readonly value: string;
  readonly precision: Precision;
  /** First day covered, YYYY-MM-DD. */
  readonly start: string;
  /** Last day covered, YYYY-MM-DD. */
  readonly end: string;
}

const SHAPE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

export class PartialDateError extends Error {}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Days in a month of the proleptic Gregorian calendar (the one date-fns and Date use). */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Parses a partial date, or throws `PartialDateError` with a reader-facing reason.
 * Plain arithmetic rather than date objects: the import checks a date or two per row.
 */
export function parsePartialDate(input: string): PartialDate {
  const value = input.trim();
  const m = SHAPE.exec(value);
  if (!m) throw new PartialDateError('use YYYY, YYYY-MM or YYYY-MM-DD');
  const [, y, mo, d] = m;
  const year = Number(y);
  if (year < 1000) throw new PartialDateError('the year must have four digits, from 1000');
  if (mo === undefined) return { value, precision: 'year', start: `${value}-01-01`, end: `${value}-12-31` };
  const month = Number(mo);
  if (month < 1 || month > 12) throw new PartialDateError(`month ${mo} does not exist`);
  const last = daysInMonth(year, month);
  if (d !== undefined) {
    const day = Number(d);
    if (day < 1 || day > last) throw new PartialDateError(`${value} is not a day of the calendar`);
    return { value, precision: 'day', start: value, end: value };
  }
  return { value, precision: 'month', start: `${value}-01`, end: `${value}-${pad2(last)}` };
}

export function isPartialDate(input: string): boolean {
  try {
    parsePartialDate(input);
    return true;
  } catch {
    return false;
  }
}

export function precisionOf(value: string): Precision {
  return value.length === 4 ? 'year' : value.length === 7 ? 'month' : 'day';
}

/** "2018", "June 2018", "13 June 2018". */
export function formatPartialDate(value: string | null | undefined): string {
  if (!value) return '';
  const precision = precisionOf(value);
  if (precision === 'year') return value;
  if (precision === 'month') return format(parseISO(`${value}-01`), 'MMMM yyyy');
  return format(parseISO(value), 'd MMMM yyyy');
}

/** Orders partial dates by their first day, the coarser one first on a tie ("2018-06" before "2018-06-01"). */
export function comparePartialDates(a: string, b: string): number {
  const sa = parsePartialDate(a).start;
  const sb = parsePartialDate(b).start;
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.length - b.length;
}
