import type { EventCursor } from './repo';
import { BadParameter } from '../lib/errors';

/**
 * Where a page of events ended, as it travels in `after=`: the first day of the last event
 * and its id, e.g. `2018-06-13.42`. Readable, and checked before it reaches a query.
 */
export function encodeEventCursor(row: { occurred_start: string; id: number | string }): string {
  return `${row.occurred_start}.${Number(row.id)}`;
}

export function decodeEventCursor(value: string, parameter = 'after'): EventCursor | undefined {
  if (!value) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})\.(\d{1,15})$/.exec(value);
  if (!m) throw new BadParameter(parameter, 'use the link of the previous page');
  return { occurredStart: m[1], id: Number(m[2]) };
}
