import type { Actor } from '../actors/repo';
import { getActor, listAllActors } from '../actors/service';
import type { Db } from '../db/knex';
import { listRevisions, type Revision } from '../history/repo';
import { NotFound, singleParam } from '../lib/errors';
import { decodePageKey, keysetPage, type PageKey } from '../lib/keyset';
import { listSourceChoices, type Source } from '../sources/repo';
import { getSource } from '../sources/service';
import { listVendors } from '../vendors/repo';
import {
  type EventCursor,
  type EventRow,
  findDeletedEventRows,
  findEventRowByPublicIdAnyState,
  findEventRowsAffectingActor,
  findEventRowsCitingSource,
  listEventChoices,
  type EventDetail,
  type EventFilter,
  findEventRowByPublicId,
  findEventRows,
  findLatestEventRows,
  findRecentlyChangedEventRows,
  hydrateEvents,
} from './repo';

export type { EventCursor, EventDetail } from './repo';

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

/**
 * A page of events in timeline order after `cursor`, with the cursor of the next page
 * (null on the last). Reads one row more than it shows to know whether more follow.
 */
export async function listEventsAfter(
  db: Db,
  filter: EventFilter,
  limit: number,
  cursor?: EventCursor,
): Promise<{ events: EventDetail[]; next: EventCursor | null }> {
  const rows = await findEventRows(db, filter, limit + 1, cursor);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    events: await hydrateEvents(db, page),
    next: rows.length > limit && last ? { occurredStart: last.occurred_start, id: last.id } : null,
  };
}

/** The events changed most recently (created, edited or deleted), newest first: the feeds' entries. */
export async function listRecentlyChangedEvents(db: Db, limit: number, vendorId?: number): Promise<EventDetail[]> {
  return hydrateEvents(db, await findRecentlyChangedEventRows(db, limit, vendorId));
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
  const [vendors, actors, sources, events] = await Promise.all([
    listVendors(db),
    listAllActors(db),
    listSourceChoices(db),
    listEventChoices(db, EVENT_CHOICES_LIMIT),
  ]);
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

// ---- the events on an actor's and a source's page ------------------------------------

export interface ActorPage {
  actor: Actor;
  acted: EventDetail[];
  affectedBy: EventDetail[];
  /** Set when more events than the page shows: where the next ones start. */
  actedNext: string | null;
  affectedNext: string | null;
}

/** How many events each list of an actor's page shows. */
export const ACTOR_PAGE_LIMIT = 200;

/**
 * An actor with the events it took and the events that affected it, a page of each;
 * `acted_after` / `affected_after` (page keys from the previous page) continue them.
 */
export async function getActorPage(db: Db, slug: string, query: Record<string, unknown> = {}): Promise<ActorPage> {
  const actor = await getActor(db, slug);
  const actedAfter = cursorParam(query, 'acted_after');
  const affectedAfter = cursorParam(query, 'affected_after');
  // One after another: the reads share the request's connection budget.
  const actedRows = await findEventRows(db, { actorId: actor.id, order: 'asc' }, ACTOR_PAGE_LIMIT + 1, actedAfter);
  const affectedRows = await findEventRowsAffectingActor(db, actor.id, { limit: ACTOR_PAGE_LIMIT + 1, after: affectedAfter });
  const acted = keysetPage(actedRows, ACTOR_PAGE_LIMIT, eventKey);
  const affected = keysetPage(affectedRows, ACTOR_PAGE_LIMIT, eventKey);
  return {
    actor,
    acted: await hydrateEvents(db, acted.items),
    affectedBy: await hydrateEvents(db, affected.items),
    actedNext: acted.next,
    affectedNext: affected.next,
  };
}

const eventKey = (row: EventRow): PageKey => [row.occurred_start, row.id];

function cursorParam(query: Record<string, unknown>, name: string): EventCursor | undefined {
  const value = singleParam(query, name);
  if (!value) return undefined;
  const [occurredStart, id] = decodePageKey(value, ['string', 'number'] as const, name);
  return { occurredStart, id };
}

export interface SourcePage {
  source: Source;
  /** Events citing the source, each with the quote it takes from it: a page of them. */
  events: Array<{ event: EventDetail; quote: string; locator: string }>;
  /** Set when more events cite the source: the page key (`?after=`) of the next page. */
  next: string | null;
}

/** How many citing events a source's page shows. */
export const SOURCE_PAGE_EVENTS = 200;

export async function getSourcePage(db: Db, rawId: string, query: Record<string, unknown> = {}): Promise<SourcePage> {
  const source = await getSource(db, rawId);
  const afterParam = singleParam(query, 'after');
  const after = afterParam ? decodePageKey(afterParam, ['string', 'number'] as const, 'after') : undefined;
  const rows = await findEventRowsCitingSource(db, source.id, {
    limit: SOURCE_PAGE_EVENTS + 1,
    after: after && { occurredStart: after[0], id: after[1] },
  });
  const page = keysetPage(rows, SOURCE_PAGE_EVENTS, (r) => [r.occurred_start, r.id]);
  const events = await hydrateEvents(db, page.items);
  return {
    source,
    events: events.map((event) => {
      const citation = event.citations.find((c) => c.source.id === source.id);
      return { event, quote: citation?.quote ?? '', locator: citation?.locator ?? '' };
    }),
    next: page.next,
  };
}
