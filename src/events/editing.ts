import type { Knex } from 'knex';
import type { Db } from '../db/knex';
import { diffSnapshots, type Snapshot } from '../history/diff';
import { type Editor, insertRevision, type RevisionAction } from '../history/repo';
import { VersionConflict, AppError, NotFound, NeedsConfirmation } from '../lib/errors';
import { type FieldErrors, FormInvalid } from '../lib/input';
import { formatPartialDate, parsePartialDate } from '../lib/partialDate';
import { slugify } from '../lib/slug';
import { nowIso } from '../lib/time';
import { retryOnUniqueViolation } from '../db/errors';
import { reindexEvents } from '../db/searchIndex';
import { createSources } from '../sources/service';
import {
  type EventChildren,
  type EventColumns,
  type EventDetail,
  type EventRow,
  findEventRowByPublicIdAnyState,
  findPossibleDuplicates,
  hydrateEvents,
  publicIdTaken,
  setEventDeleted,
  existingSourceIds,
  findEventRowById,
  idsBySlug,
  liveEventIdsByPublicId,
} from './repo';
import { refreshInForceForEvents } from './inForce';
import { type EventCitationRef, replaceEventLinks, sourceIdsByUrl, StaleEventWrite, writeEvents } from './writes';
import type { EventInput } from './schema';

/** An event like this one exists already; saved only once the analyst confirms. */
export class PossibleDuplicate extends NeedsConfirmation {
  constructor(matches: EventRow[]) {
    super(
      'possible_duplicate',
      'An event with the same vendor, date and type is already recorded. Check it is not the same event; to save anyway, tick the box and save again.',
      matches.map((m) => ({
        href: `/events/${encodeURIComponent(m.public_id)}`,
        label: `${m.title} (${formatPartialDate(m.occurred_on)})`,
      })),
    );
  }
}

/** The event as its history shows it. */
export function eventSnapshot(e: EventDetail): Snapshot {
  return {
    title: e.title,
    summary: e.summary,
    type: e.type,
    jurisdiction: e.jurisdiction,
    actor: e.actor?.slug ?? '',
    affected: e.affected
      .map((a) => a.slug)
      .sort()
      .join(', '),
    vendors: e.vendors
      .map((v) => v.slug)
      .sort()
      .join(', '),
    occurred_on: e.occurredOn,
    effective_on: e.effectiveOn ?? '',
    links: e.linksOut.map((l) => `${l.relation}: ${l.event.publicId}`).join('\n'),
    citations: e.citations
      .map(
        (c) =>
          `${c.source.title}${c.source.url ? ` <${c.source.url}>` : ''}${c.quote ? ` “${c.quote}”` : ''}${c.locator ? ` (${c.locator})` : ''}`,
      )
      .join('\n'),
  };
}

/** The events row for checked input; the acting actor already looked up. */
export function eventColumnsOf(data: EventInput, actorId: number | null): EventColumns {
  return {
    title: data.title,
    summary: data.summary,
    type: data.type,
    jurisdiction: data.jurisdiction,
    actor_id: actorId,
    occurred_on: data.occurred_on as string,
    occurred_start: parsePartialDate(data.occurred_on as string).start,
    effective_on: data.effective_on,
    effective_start: data.effective_on ? parsePartialDate(data.effective_on).start : null,
  };
}

interface Resolved {
  columns: EventColumns;
  children: Omit<EventChildren, 'citations'>;
  citations: EventInput['citations'];
}

/** Looks up every slug and id the form names; unknown ones become field errors. */
async function resolveReferences(db: Knex.Transaction, data: EventInput, selfId?: number): Promise<Resolved> {
  const errors: FieldErrors = {};
  const vendors = await idsBySlug(db, 'vendors', data.vendors);
  const missingVendors = data.vendors.filter((s) => !vendors.has(s));
  if (missingVendors.length) errors.vendors = `Unknown vendor: ${missingVendors.join(', ')}.`;

  const actorSlugs = [...new Set([data.actor, ...data.affected].filter(Boolean))];
  const actors = await idsBySlug(db, 'actors', actorSlugs);
  if (data.actor && !actors.has(data.actor)) errors.actor = `Unknown actor: ${data.actor}.`;
  const missingAffected = data.affected.filter((s) => s && !actors.has(s));
  if (missingAffected.length) errors.affected = `Unknown actor: ${missingAffected.join(', ')}.`;

  const eventIds = await liveEventIdsByPublicId(
    db,
    data.links.map((l) => l.event),
  );
  const links: EventChildren['links'] = [];
  const seenLinks = new Set<string>();
  data.links.forEach((l, i) => {
    const id = eventIds.get(l.event);
    if (id === undefined) errors[`links.${i}.event`] = `No event has the id “${l.event}”.`;
    else if (id === selfId) errors[`links.${i}.event`] = 'An event cannot be linked to itself.';
    else if (!seenLinks.has(`${l.relation}:${id}`)) {
      seenLinks.add(`${l.relation}:${id}`);
      links.push({ relation: l.relation, toEventId: id });
    }
  });

  const sourceIds = data.citations.filter((c) => c.source_id).map((c) => Number(c.source_id));
  const known = await existingSourceIds(db, sourceIds);
  data.citations.forEach((c, i) => {
    if (c.source_id && !known.has(Number(c.source_id)))
      errors[`citations.${i}.source_id`] = 'That source no longer exists; choose another.';
  });

  if (Object.keys(errors).length) throw new FormInvalid(errors);
  return {
    columns: eventColumnsOf(data, data.actor ? (actors.get(data.actor) as number) : null),
    children: {
      vendorIds: [...new Set(vendors.values())],
      affectedIds: [...new Set(data.affected.map((s) => actors.get(s) as number))],
      links,
    },
    citations: data.citations,
  };
}

/**
 * Turns each citation row into a source id: an existing source as chosen, a known URL
 * reused, or a new source created (and recorded in its own history), all in a few queries.
 */
export async function resolveCitations(
  trx: Knex.Transaction,
  by: Editor,
  rows: EventInput['citations'],
  now: string,
): Promise<EventCitationRef[]> {
  const known = await sourceIdsByUrl(
    trx,
    rows.filter((c) => !c.source_id && c.url).map((c) => c.url as string),
  );
  // New sources, once each: the same new URL cited twice is one source.
  const fresh: EventInput['citations'] = [];
  const freshKey = (c: EventInput['citations'][number]) => (c.url ? `url:${c.url}` : `row:${rows.indexOf(c)}`);
  const freshIndex = new Map<string, number>();
  for (const c of rows) {
    if (c.source_id || (c.url && known.has(c.url)) || freshIndex.has(freshKey(c))) continue;
    freshIndex.set(freshKey(c), fresh.length);
    fresh.push(c);
  }
  const freshIds = await createSources(
    trx,
    by,
    fresh.map((c) => ({ url: c.url, title: c.title, publisher: c.publisher, published_on: c.published_on, reliability: c.reliability })),
    now,
  );
  const out: EventCitationRef[] = [];
  const seen = new Set<number>();
  for (const c of rows) {
    const sourceId = c.source_id
      ? Number(c.source_id)
      : c.url && known.has(c.url)
        ? (known.get(c.url) as number)
        : freshIds[freshIndex.get(freshKey(c)) as number];
    // The same source twice keeps the first row's quote.
    if (seen.has(sourceId)) continue;
    seen.add(sourceId);
    out.push({ sourceId, quote: c.quote, locator: c.locator });
  }
  return out;
}

/**
 * Keys two concurrent saves can both find free (PostgreSQL runs them side by side): the
 * public id and a new source's URL. The loser is rolled back and run again, and then takes
 * the next free `-2` id or reuses the source the winner recorded.
 */
const CONCURRENT_KEYS = [
  ['events', 'public_id'],
  ['sources', 'url'],
] as const;

async function uniquePublicId(trx: Knex.Transaction, occurredOn: string, title: string): Promise<string> {
  const base = `${occurredOn}-${slugify(title, 80) || 'event'}`;
  let candidate = base;
  for (let n = 2; await publicIdTaken(trx, candidate); n++) candidate = `${base}-${n}`;
  return candidate;
}

async function checkDuplicates(trx: Knex.Transaction, data: EventInput, resolved: Resolved, excludeId?: number): Promise<void> {
  if (data.confirm_duplicate) return;
  const matches = await findPossibleDuplicates(trx, {
    vendorIds: resolved.children.vendorIds,
    occurredOn: resolved.columns.occurred_on,
    type: resolved.columns.type,
    excludeId,
  });
  if (matches.length) throw new PossibleDuplicate(matches);
}

async function record(
  trx: Knex.Transaction,
  by: Editor,
  eventId: number,
  action: RevisionAction,
  version: number,
  now: string,
  before: Snapshot | null,
  after: Snapshot | null,
) {
  await insertRevision(trx, {
    entityType: 'event',
    entityId: eventId,
    action,
    version,
    by,
    at: now,
    changes: diffSnapshots(before, after),
  });
}

async function hydrateOne(trx: Knex.Transaction, id: number): Promise<EventDetail> {
  return (await hydrateEvents(trx, [await findEventRowById(trx, id)]))[0];
}

/** Writes one event with its children from resolved form input; returns its id. */
async function saveEvent(
  trx: Knex.Transaction,
  by: Editor,
  publicId: string,
  resolved: Resolved,
  now: string,
  existing?: { id: number; version: number },
): Promise<number> {
  const citations = await resolveCitations(trx, by, resolved.citations, now);
  const ids = await writeEvents(
    trx,
    [
      {
        publicId,
        columns: resolved.columns,
        existing,
        updatedAt: now,
        vendorIds: resolved.children.vendorIds,
        affectedIds: resolved.children.affectedIds,
        citations,
      },
    ],
    now,
  );
  const id = ids.get(publicId) as number;
  await replaceEventLinks(trx, [{ eventId: id, links: resolved.children.links }], 'all');
  return id;
}

/** Creates an event from checked input; returns its public id. */
export async function createEvent(db: Db, by: Editor, data: EventInput): Promise<string> {
  return retryOnUniqueViolation(CONCURRENT_KEYS, () =>
    db.transaction(async (trx) => {
      const resolved = await resolveReferences(trx, data);
      await checkDuplicates(trx, data, resolved);
      const now = nowIso();
      const publicId = await uniquePublicId(trx, resolved.columns.occurred_on, data.title);
      const id = await saveEvent(trx, by, publicId, resolved, now);
      await record(trx, by, id, 'create', 1, now, null, eventSnapshot(await hydrateOne(trx, id)));
      await reindexEvents(trx, [id]);
      return publicId;
    }),
  );
}

async function liveEventRow(db: Db | Knex.Transaction, publicId: string): Promise<EventRow> {
  const row = await findEventRowByPublicIdAnyState(db, publicId);
  if (!row || row.deleted_at) throw new NotFound(`No event has the id "${publicId}".`);
  return row;
}

/** Saves an edit of the event `publicId` made on `version`, from checked input. */
export async function updateEvent(db: Db, by: Editor, publicId: string, version: number, data: EventInput): Promise<void> {
  await retryOnUniqueViolation(CONCURRENT_KEYS, () =>
    db.transaction(async (trx) => {
      const row = await liveEventRow(trx, publicId);
      const before = await hydrateOne(trx, row.id);
      if (Number(row.version) !== version) throw new VersionConflict(before);
      const resolved = await resolveReferences(trx, data, row.id);
      await checkDuplicates(trx, data, resolved, row.id);
      const now = nowIso();
      try {
        await saveEvent(trx, by, row.public_id, resolved, now, { id: row.id, version });
      } catch (err) {
        if (err instanceof StaleEventWrite) throw new VersionConflict(await hydrateOne(trx, row.id));
        throw err;
      }
      await record(trx, by, row.id, 'update', version + 1, now, eventSnapshot(before), eventSnapshot(await hydrateOne(trx, row.id)));
      await reindexEvents(trx, [row.id]);
    }),
  );
}

/** Moves an event to the trash: hidden from pages, exports and feeds until restored. */
export async function deleteEvent(db: Db, by: Editor, publicId: string): Promise<EventRow> {
  return db.transaction(async (trx) => {
    const row = await liveEventRow(trx, publicId);
    const now = nowIso();
    if (!(await setEventDeleted(trx, row.id, now, Number(row.version), now)))
      throw new AppError(409, 'version_conflict', 'The event changed while you were deleting it; reload and try again.');
    await refreshInForceForEvents(trx, [row.id]);
    await record(trx, by, row.id, 'delete', Number(row.version) + 1, now, { deleted: '' }, { deleted: 'yes' });
    await reindexEvents(trx, [row.id]);
    return row;
  });
}

export async function restoreEvent(db: Db, by: Editor, publicId: string): Promise<EventRow> {
  return db.transaction(async (trx) => {
    const row = await findEventRowByPublicIdAnyState(trx, publicId);
    if (!row || !row.deleted_at) throw new NotFound(`No deleted event has the id "${publicId}".`);
    const now = nowIso();
    if (!(await setEventDeleted(trx, row.id, null, Number(row.version), now)))
      throw new AppError(409, 'version_conflict', 'The event changed while you were restoring it; reload and try again.');
    await refreshInForceForEvents(trx, [row.id]);
    await record(trx, by, row.id, 'restore', Number(row.version) + 1, now, { deleted: 'yes' }, { deleted: '' });
    await reindexEvents(trx, [row.id]);
    return row;
  });
}
