/**
 * A linear time scale over civil days, and the ticks of its axis: years, or months when
 * the period is short (a zoom by `from`/`to`, or a timeline within a year or two).
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Days since 1970-01-01 for a YYYY-MM-DD date. */
export function dayNumber(iso: string): number {
  // The usual YYYY-MM-DD without splitting into an array (a chart asks for thousands).
  if (iso.length === 10 && iso[4] === '-' && iso[7] === '-') {
    return Math.round(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000);
  }
  const [y, m, d] = iso.split('-').map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / 86_400_000);
}

export function isoOfDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

function yearOf(day: number): number {
  return new Date(day * 86_400_000).getUTCFullYear();
}

function monthStart(year: number, month0: number): number {
  return Math.round(Date.UTC(year, month0, 1) / 86_400_000);
}

export type AxisUnit = 'year' | 'month';

export interface Tick {
  /** Pixel position of the boundary the tick marks. */
  x: number;
  /** Centre of the period the label names (its visible part). */
  labelX: number;
  label: string;
  /** A year boundary: drawn stronger, and labelled on the upper line in month mode. */
  major: boolean;
  /** Visible width of the period, in pixels. */
  span: number;
}

export interface TimeScale {
  startDay: number;
  /** Exclusive. */
  endDay: number;
  left: number;
  width: number;
  unit: AxisUnit;
  x(day: number): number;
  ticks: Tick[];
  /** Year labels above the month labels, in month mode. */
  yearTicks: Tick[];
}

/** Periods up to this many days are drawn with month ticks. */
export const MONTH_MODE_MAX_DAYS = 731;
const MIN_PX_PER_YEAR = 96;
const MIN_PX_PER_MONTH = 46;

export function yearFloor(day: number): number {
  return monthStart(yearOf(day), 0);
}

export function yearCeil(day: number): number {
  const start = yearFloor(day);
  return start === day ? day : monthStart(yearOf(day) + 1, 0);
}

/** Builds the scale: at least `minWidth` pixels wide, wider when the period needs room for its labels. */
export function timeScale(startDay: number, endDay: number, left: number, minWidth: number): TimeScale {
  const days = Math.max(1, endDay - startDay);
  const unit: AxisUnit = days <= MONTH_MODE_MAX_DAYS ? 'month' : 'year';
  const units = unit === 'year' ? days / 365.25 : days / 30.44;
  const width = Math.max(minWidth, units * (unit === 'year' ? MIN_PX_PER_YEAR : MIN_PX_PER_MONTH));
  const x = (day: number) => left + ((Math.min(Math.max(day, startDay), endDay) - startDay) / days) * width;
  const periods = (starts: number[], label: (day: number) => string, major: (day: number) => boolean): Tick[] =>
    starts
      .map((s, i) => {
        const from = Math.max(s, startDay);
        const to = Math.min(starts[i + 1] ?? endDay, endDay);
        return { x: x(s), labelX: (x(from) + x(to)) / 2, label: label(s), major: major(s), span: x(to) - x(from) };
      })
      .filter((t) => t.span > 0);

  const yearStarts: number[] = [];
  for (let y = yearOf(startDay); monthStart(y, 0) < endDay; y++) yearStarts.push(monthStart(y, 0));
  const yearTicks = periods(
    yearStarts,
    (d) => String(yearOf(d)),
    () => true,
  );
  if (unit === 'year') return { startDay, endDay, left, width, unit, x, ticks: yearTicks, yearTicks: [] };

  const monthStarts: number[] = [];
  const first = new Date(startDay * 86_400_000);
  for (let y = first.getUTCFullYear(), m = first.getUTCMonth(); monthStart(y, m) < endDay; m === 11 ? ((m = 0), y++) : m++)
    monthStarts.push(monthStart(y, m));
  const ticks = periods(
    monthStarts,
    (d) => MONTHS[new Date(d * 86_400_000).getUTCMonth()],
    (d) => new Date(d * 86_400_000).getUTCMonth() === 0,
  );
  return { startDay, endDay, left, width, unit, x, ticks, yearTicks };
}
