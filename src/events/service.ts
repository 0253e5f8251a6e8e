import { listAllActors } from '../actors/service';
import type { Db } from '../db/knex';
import { listRevisions, type Revision } from '../history/repo';
import { NotFound } from '../lib/errors';
import { listSourceChoices } from '../sources/repo';
import { listVendors } from '../vendors/repo';
import {
  type EventCursor,
  type EventRow,
  findDeletedEventRows,
  findEventRowByPublicIdAnyState,
  listEventChoices,
  type EventDetail,
  type EventFilter,
  findEventRowByPublicId,
  findEventRows,
  findLatestEventRows,
  hydrateEvents,
} from './repo';

/** How many events a page of the timeline shows at most; the CSV export has no such limit. */
export const TIMELINE_PAGE_LIMIT = 1000;

export async function listTimeline(db: Db, filter: EventFilter, limit = TIMELINE_PAGE_LIMIT): Promise<EventDetail[]> {
  return hydrateEvents(db, await findEventRows(db, filter, limit));
}

/**
 * Yields every matching event, a page at a time, reading by key so memory stays
 * flat however many rows match (knex's `.stream()` buffers the whole result on sqlite3).
 */
export async function* iterateEvents(db: Db, filter: EventFilter, pageSize = 200): AsyncGenerator<EventDetail> {
  let cursor: EventCursor | undefined;
  for (;;) {
    const rows = await findEventRows(db, filter, pageSize, cursor);
    if (rows.length === 0) return;
    for (const event of await hydrateEvents(db, rows)) yield event;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1];
    cursor = { occurredStart: last.occurred_start, id: last.id };
  }
}

export async function getEvent(db: Db, publicId: string): Promise<EventDetail> {
  const row = await findEventRowByPublicId(db, publicId);
  if (!row) throw new NotFound(`No event has the id "${publicId}".`);
  const [event] = await hydrateEvents(db, [row]);
  return event;
}

export async function listLatestEvents(db: Db, limit: number): Promise<EventDetail[]> {
  return hydrateEvents(db, await findLatestEventRows(db, limit));
}

export interface YearGroup {
  year: string;
  events: EventDetail[];
}

/** Splits a timeline (already in order) into runs of the same year. */
export function groupByYear(events: readonly EventDetail[]): YearGroup[] {
  const groups: YearGroup[] = [];
  for (const event of events) {
    const year = event.occurredOn.slice(0, 4);
    const last = groups[groups.length - 1];
    if (last && last.year === year) last.events.push(event);
    else groups.push({ year, events: [event] });
  }
  return groups;
}

const EVENT_CHOICES_LIMIT = 2000;
const TRASH_LIMIT = 500;

/** What the event form offers to choose from. */
export async function listEventFormChoices(db: Db) {
  const [vendors, actors, sources, events] = await Promise.all([listVendors(db), listAllActors(db), listSourceChoices(db), listEventChoices(db, EVENT_CHOICES_LIMIT)]);
  return { vendors, actors, sources, events };
}

/** Deleted events, most recently deleted first, with when each was deleted. */
export async function listTrash(db: Db): Promise<Array<{ event: EventDetail; deletedAt: string }>> {
  const rows = await findDeletedEventRows(db, TRASH_LIMIT);
  const events = await hydrateEvents(db, rows);
  return events.map((event, i) => ({ event, deletedAt: rows[i].deleted_at as string }));
}

/** An event's changelog; a deleted event's only for signed-in analysts. */
export async function getEventHistory(db: Db, publicId: string, signedIn: boolean): Promise<{ row: EventRow; revisions: Revision[] }> {
  const row = await findEventRowByPublicIdAnyState(db, publicId);
  if (!row || (row.deleted_at && !signedIn)) throw new NotFound(`No event has the id "${publicId}".`);
  return { row, revisions: await listRevisions(db, 'event', row.id) };
}
