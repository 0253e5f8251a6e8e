import type { Knex } from 'knex';
import type { Db } from '../db/knex';
import { insertedId } from '../db/versioned';
import { type Source, type SourceRow, toSource } from '../sources/repo';

/** The filters a timeline, its CSV export and the API share. */
export interface EventFilter {
  vendorId?: number;
  type?: string;
  jurisdiction?: string;
  actorId?: number;
  /** First day (YYYY-MM-DD) an event may start on. */
  fromStart?: string;
  /** Last day (YYYY-MM-DD) an event may start on. */
  toEnd?: string;
  /** Every word must appear in the title or the summary. */
  words?: string[];
  order: 'asc' | 'desc';
}

/** Where the previous page ended, for keyset paging. */
export interface EventCursor {
  occurredStart: string;
  id: number;
}

/** The columns an analyst's input sets. */
export interface EventColumns {
  title: string;
  summary: string;
  type: string;
  jurisdiction: string;
  actor_id: number | null;
  occurred_on: string;
  occurred_start: string;
  effective_on: string | null;
  effective_start: string | null;
}

export interface EventRow extends EventColumns {
  id: number;
  public_id: string;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface ActorRef {
  id: number;
  slug: string;
  name: string;
  kind: string;
}

export interface VendorRef {
  id: number;
  slug: string;
  name: string;
}

export interface EventRef {
  id: number;
  publicId: string;
  title: string;
  occurredOn: string;
}

export interface EventLinkView {
  relation: string;
  event: EventRef;
}

export interface CitationView {
  source: Source;
  quote: string;
  locator: string;
}

/** An event with everything a page or an export shows of it. */
export interface EventDetail {
  id: number;
  publicId: string;
  title: string;
  summary: string;
  type: string;
  jurisdiction: string;
  occurredOn: string;
  effectiveOn: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  actor: ActorRef | null;
  affected: ActorRef[];
  vendors: VendorRef[];
  citations: CitationView[];
  /** Relations this event states ("in response to ..."). */
  linksOut: EventLinkView[];
  /** Relations other events state about this one ("responses: ..."). */
  linksIn: EventLinkView[];
}

/** Events that have not been deleted. */
export function liveEvents(db: Db | Knex.Transaction): Knex.QueryBuilder {
  return db('events').whereNull('events.deleted_at');
}

/** Escapes LIKE wildcards so user words match literally. */
function likePattern(word: string): string {
  return `%${word.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function applyFilter(query: Knex.QueryBuilder, filter: EventFilter): Knex.QueryBuilder {
  if (filter.vendorId !== undefined) {
    const vendorId = filter.vendorId;
    query.whereExists(function () {
      this.select(1).from('event_vendors').whereRaw('event_vendors.event_id = events.id').andWhere('event_vendors.vendor_id', vendorId);
    });
  }
  if (filter.type) query.where('events.type', filter.type);
  if (filter.jurisdiction) query.where('events.jurisdiction', filter.jurisdiction);
  if (filter.actorId !== undefined) query.where('events.actor_id', filter.actorId);
  if (filter.fromStart) query.where('events.occurred_start', '>=', filter.fromStart);
  if (filter.toEnd) query.where('events.occurred_start', '<=', filter.toEnd);
  for (const word of filter.words ?? []) {
    const pattern = likePattern(word);
    query.where((w) => {
      w.whereRaw("lower(events.title) like ? escape '\\'", [pattern]).orWhereRaw("lower(events.summary) like ? escape '\\'", [pattern]);
    });
  }
  return query;
}

/** One page of events in timeline order, starting after `cursor`. */
export async function findEventRows(db: Db, filter: EventFilter, limit: number, cursor?: EventCursor): Promise<EventRow[]> {
  const query = applyFilter(liveEvents(db).select('events.*'), filter);
  const dir = filter.order;
  if (cursor) {
    const cmp = dir === 'asc' ? '>' : '<';
    query.where((w) => {
      w.where('events.occurred_start', cmp, cursor.occurredStart).orWhere((x) => {
        x.where('events.occurred_start', cursor.occurredStart).andWhere('events.id', cmp, cursor.id);
      });
    });
  }
  return query.orderBy([
    { column: 'events.occurred_start', order: dir },
    { column: 'events.id', order: dir },
  ]).limit(limit);
}

export async function findEventRowByPublicId(db: Db, publicId: string): Promise<EventRow | null> {
  const row = await liveEvents(db).where('events.public_id', publicId).first();
  return (row as EventRow | undefined) ?? null;
}

/** Loads the vendors, actors, citations and links of a batch of events in a fixed number of queries. */
export async function hydrateEvents(db: Db | Knex.Transaction, rows: readonly EventRow[]): Promise<EventDetail[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);

  const [vendorRows, affectedRows, actorRows, citationRows, outRows, inRows] = await Promise.all([
    db('event_vendors as ev')
      .join('vendors as v', 'v.id', 'ev.vendor_id')
      .whereIn('ev.event_id', ids)
      .select('ev.event_id', 'v.id', 'v.slug', 'v.name')
      .orderBy('v.name'),
    db('event_affected_actors as ea')
      .join('actors as a', 'a.id', 'ea.actor_id')
      .whereIn('ea.event_id', ids)
      .select('ea.event_id', 'a.id', 'a.slug', 'a.name', 'a.kind')
      .orderBy('a.name'),
    db('actors')
      .whereIn('id', [...new Set(rows.map((r) => r.actor_id).filter((id): id is number => id !== null))])
      .select('id', 'slug', 'name', 'kind'),
    db('citations as c')
      .join('sources as s', 's.id', 'c.source_id')
      .whereIn('c.event_id', ids)
      .select('c.event_id', 'c.quote', 'c.locator', 's.*')
      .select({ citation_id: 'c.id' })
      .orderBy([{ column: 'c.event_id' }, { column: 'c.position' }, { column: 'c.id' }]),
    db('event_links as l')
      .join('events as e', 'e.id', 'l.to_event_id')
      .whereIn('l.from_event_id', ids)
      .whereNull('e.deleted_at')
      .select({ owner_id: 'l.from_event_id', relation: 'l.relation', id: 'e.id', public_id: 'e.public_id', title: 'e.title', occurred_on: 'e.occurred_on', occurred_start: 'e.occurred_start' })
      .orderBy('e.occurred_start'),
    db('event_links as l')
      .join('events as e', 'e.id', 'l.from_event_id')
      .whereIn('l.to_event_id', ids)
      .whereNull('e.deleted_at')
      .select({ owner_id: 'l.to_event_id', relation: 'l.relation', id: 'e.id', public_id: 'e.public_id', title: 'e.title', occurred_on: 'e.occurred_on', occurred_start: 'e.occurred_start' })
      .orderBy('e.occurred_start'),
  ]);

  const actorsById = new Map<number, ActorRef>(actorRows.map((a: ActorRef) => [a.id, { id: a.id, slug: a.slug, name: a.name, kind: a.kind }]));
  const group = <T>(items: Array<{ event_id?: number; owner_id?: number }>, map: (item: never) => T): Map<number, T[]> => {
    const out = new Map<number, T[]>();
    for (const item of items) {
      const key = Number(item.event_id ?? item.owner_id);
      const list = out.get(key) ?? [];
      list.push(map(item as never));
      out.set(key, list);
    }
    return out;
  };
  const vendors = group(vendorRows, (v: VendorRef) => ({ id: v.id, slug: v.slug, name: v.name }));
  const affected = group(affectedRows, (a: ActorRef) => ({ id: a.id, slug: a.slug, name: a.name, kind: a.kind }));
  const citations = group(citationRows, (c: SourceRow & { quote: string; locator: string; citation_id: number }) => ({
    source: toSource(c),
    quote: c.quote,
    locator: c.locator,
  }));
  const linkView = (l: { relation: string; id: number; public_id: string; title: string; occurred_on: string }): EventLinkView => ({
    relation: l.relation,
    event: { id: l.id, publicId: l.public_id, title: l.title, occurredOn: l.occurred_on },
  });
  const linksOut = group(outRows, linkView);
  const linksIn = group(inRows, linkView);

  return rows.map((r) => ({
    id: r.id,
    publicId: r.public_id,
    title: r.title,
    summary: r.summary,
    type: r.type,
    jurisdiction: r.jurisdiction,
    occurredOn: r.occurred_on,
    effectiveOn: r.effective_on,
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    actor: r.actor_id !== null ? (actorsById.get(r.actor_id) ?? null) : null,
    affected: affected.get(r.id) ?? [],
    vendors: vendors.get(r.id) ?? [],
    citations: citations.get(r.id) ?? [],
    linksOut: linksOut.get(r.id) ?? [],
    linksIn: linksIn.get(r.id) ?? [],
  }));
}

/** Events that cite a source, in date order. */
export async function findEventRowsCitingSource(db: Db, sourceId: number): Promise<EventRow[]> {
  return liveEvents(db)
    .whereExists(function () {
      this.select(1).from('citations').whereRaw('citations.event_id = events.id').andWhere('citations.source_id', sourceId);
    })
    .select('events.*')
    .orderBy([{ column: 'events.occurred_start' }, { column: 'events.id' }]);
}

/** Events an actor affected (as the acting actor) or was affected by. */
export async function findEventRowsAffectingActor(db: Db, actorId: number): Promise<EventRow[]> {
  return liveEvents(db)
    .whereExists(function () {
      this.select(1).from('event_affected_actors').whereRaw('event_affected_actors.event_id = events.id').andWhere('event_affected_actors.actor_id', actorId);
    })
    .select('events.*')
    .orderBy([{ column: 'events.occurred_start' }, { column: 'events.id' }]);
}

export async function findLatestEventRows(db: Db, limit: number): Promise<EventRow[]> {
  return liveEvents(db).select('events.*').orderBy([
    { column: 'events.occurred_start', order: 'desc' },
    { column: 'events.id', order: 'desc' },
  ]).limit(limit);
}

// ---- writes -------------------------------------------------------------

type Conn = Db | Knex.Transaction;

export interface EventChildren {
  vendorIds: number[];
  affectedIds: number[];
  links: Array<{ relation: string; toEventId: number }>;
  citations: Array<{ sourceId: number; quote: string; locator: string }>;
}

export async function findEventRowByPublicIdAnyState(db: Conn, publicId: string): Promise<EventRow | null> {
  const row = await db('events').where('public_id', publicId).first();
  return (row as EventRow | undefined) ?? null;
}

export async function publicIdTaken(db: Conn, publicId: string): Promise<boolean> {
  return !!(await db('events').where('public_id', publicId).first('id'));
}

export async function insertEventRow(trx: Knex.Transaction, publicId: string, cols: EventColumns, now: string): Promise<number> {
  const [row] = await trx('events').insert({ public_id: publicId, ...cols, version: 1, created_at: now, updated_at: now, deleted_at: null }).returning('id');
  return insertedId(row);
}

/** Replaces an event's vendors, affected actors, outgoing links and citations. */
export async function replaceEventChildren(trx: Knex.Transaction, eventId: number, children: EventChildren): Promise<void> {
  await trx('event_vendors').where({ event_id: eventId }).del();
  await trx('event_affected_actors').where({ event_id: eventId }).del();
  await trx('event_links').where({ from_event_id: eventId }).del();
  await trx('citations').where({ event_id: eventId }).del();
  if (children.vendorIds.length) await trx('event_vendors').insert(children.vendorIds.map((vendor_id) => ({ event_id: eventId, vendor_id })));
  if (children.affectedIds.length) await trx('event_affected_actors').insert(children.affectedIds.map((actor_id) => ({ event_id: eventId, actor_id })));
  if (children.links.length) {
    await trx('event_links').insert(children.links.map((l) => ({ from_event_id: eventId, to_event_id: l.toEventId, relation: l.relation })));
  }
  if (children.citations.length) {
    await trx('citations').insert(children.citations.map((c, position) => ({ event_id: eventId, source_id: c.sourceId, quote: c.quote, locator: c.locator, position })));
  }
}

/** Live events sharing a vendor, the date and the type: likely the same event recorded twice. */
export async function findPossibleDuplicates(db: Conn, q: { vendorIds: number[]; occurredOn: string; type: string; excludeId?: number }): Promise<EventRow[]> {
  const query = liveEvents(db)
    .select('events.*')
    .where({ 'events.occurred_on': q.occurredOn, 'events.type': q.type })
    .whereExists(function () {
      this.select(1).from('event_vendors').whereRaw('event_vendors.event_id = events.id').whereIn('event_vendors.vendor_id', q.vendorIds);
    });
  if (q.excludeId !== undefined) query.whereNot('events.id', q.excludeId);
  return query;
}

export async function setEventDeleted(trx: Knex.Transaction, id: number, deletedAt: string | null, version: number, now: string): Promise<boolean> {
  const count = await trx('events').where({ id, version }).update({ deleted_at: deletedAt, version: version + 1, updated_at: now });
  return Number(count) === 1;
}

export async function findDeletedEventRows(db: Db, limit: number): Promise<EventRow[]> {
  return db('events').whereNotNull('deleted_at').orderBy('deleted_at', 'desc').limit(limit);
}

/** Live events for pickers (id, date, title), newest first. */
export async function listEventChoices(db: Db, limit: number): Promise<Array<{ publicId: string; title: string; occurredOn: string }>> {
  const rows = await liveEvents(db).select('public_id', 'title', 'occurred_on').orderBy([{ column: 'occurred_start', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit);
  return rows.map((r: { public_id: string; title: string; occurred_on: string }) => ({ publicId: r.public_id, title: r.title, occurredOn: r.occurred_on }));
}

/** The most recently created or changed live events, optionally of one vendor. */
export async function findRecentlyChangedEventRows(db: Db, limit: number, vendorId?: number): Promise<EventRow[]> {
  const query = applyFilter(liveEvents(db).select('events.*'), { vendorId, order: 'desc' });
  return query.orderBy([{ column: 'events.updated_at', order: 'desc' }, { column: 'events.id', order: 'desc' }]).limit(limit);
}
