import type { Knex } from 'knex';
import { type Db, isPostgres } from '../db/knex';
import { whereInValues } from '../db/bulk';
import { insertedId, updateIfVersion } from '../db/versioned';
import { SOURCE_SUMMARY_COLUMNS, type SourceRow, type SourceSummary, toSourceSummary } from '../sources/repo';

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
  source: SourceSummary;
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

/**
 * Events reached through a table that names them (event_vendors, citations, ...). On SQLite
 * `CROSS JOIN` keeps that table as the outer loop: without statistics the planner would
 * rather walk every event in date order and probe the link table for each, so one vendor's
 * page would cost the whole database. PostgreSQL plans this join well from its statistics.
 */
function eventsThrough(db: Db, table: string, eventColumn: string): Knex.QueryBuilder {
  const query = db(table);
  const on = ['events.id', `${table}.${eventColumn}`] as const;
  return (isPostgres(db as Db) ? query.join('events', ...on) : query.crossJoin('events', ...on)).whereNull('events.deleted_at');
}

/** Live events matching `filter`, read from the narrowest starting point it allows. */
function filteredEvents(db: Db, filter: EventFilter, from?: Knex.QueryBuilder): Knex.QueryBuilder {
  const query =
    from ??
    (filter.vendorId !== undefined
      ? eventsThrough(db, 'event_vendors', 'event_id').where('event_vendors.vendor_id', filter.vendorId)
      : liveEvents(db));
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

/** Continues a timeline-ordered query after `cursor`, in `order`, and orders it. */
function timelinePage(query: Knex.QueryBuilder, order: 'asc' | 'desc', limit: number, cursor?: EventCursor): Knex.QueryBuilder {
  if (cursor) {
    // A row-value comparison, which both databases read as one index range; PostgreSQL
    // cannot start a range from the equivalent `a > x or (a = x and b > y)`.
    query.whereRaw(`(events.occurred_start, events.id) ${order === 'asc' ? '>' : '<'} (?, ?)`, [cursor.occurredStart, cursor.id]);
  }
  return query
    .orderBy([
      { column: 'events.occurred_start', order },
      { column: 'events.id', order },
    ])
    .limit(limit);
}

/** One page of events in timeline order, starting after `cursor`. */
export async function findEventRows(db: Db, filter: EventFilter, limit: number, cursor?: EventCursor): Promise<EventRow[]> {
  return timelinePage(filteredEvents(db, filter).select('events.*'), filter.order, limit, cursor);
}

/** The SQL and bindings of a filtered timeline query, for EXPLAIN and the benchmark's anchors. */
export function eventRowsSql(db: Db, filter: EventFilter, limit: number, cursor?: EventCursor): Knex.Sql {
  return timelinePage(filteredEvents(db, filter).select('events.*'), filter.order, limit, cursor).toSQL();
}

/** One event as the CSV export writes it: its own columns and its lists already joined. */
export interface EventExportRow {
  public_id: string;
  occurred_on: string;
  effective_on: string | null;
  jurisdiction: string;
  type: string;
  title: string;
  summary: string;
  updated_at: string;
  actor: string | null;
  vendors: string | null;
  affected: string | null;
  responds_to: string | null;
  source_titles: string | null;
  source_urls: string | null;
}

/**
 * A list joined in SQL with ' | ', in `order`: string_agg on PostgreSQL; on SQLite
 * group_concat over an ordered subquery (the CLI of older releases lacks `ORDER BY` inside it).
 */
function joinedList(db: Db, expr: string, from: string, order: string): Knex.Raw {
  if (isPostgres(db as Db)) return db.raw(`(select string_agg(${expr}, ' | ' order by ${order}) from ${from})`);
  return db.raw(`(select group_concat(x, ' | ') from (select ${expr} as x from ${from} order by ${order}))`);
}

/**
 * The export's query: one row per event with every list it shows, so no query runs per page
 * of events but this one. `from` replaces where the events are read from (a page's keys).
 */
function exportQuery(db: Db, filter: EventFilter, from?: Knex.QueryBuilder): Knex.QueryBuilder {
  // Slugs sort by code point, as the export always has (JavaScript's sort).
  const bytes = isPostgres(db as Db) ? ' collate "C"' : '';
  const citations = 'citations c join sources s on s.id = c.source_id where c.event_id = events.id';
  return (
    filteredEvents(db, filter, from)
      .leftJoin('actors as act', 'act.id', 'events.actor_id')
      // Only what the CSV shows: pages are cut by keys read beforehand (findEventKeys).
      .select(
        'events.public_id',
        'events.occurred_on',
        'events.effective_on',
        'events.jurisdiction',
        'events.type',
        'events.title',
        'events.summary',
        'events.updated_at',
        { actor: 'act.slug' },
      )
      .select({
        vendors: joinedList(
          db,
          'v.slug',
          'event_vendors xv join vendors v on v.id = xv.vendor_id where xv.event_id = events.id',
          `v.slug${bytes}`,
        ),
        affected: joinedList(
          db,
          'aa.slug',
          'event_affected_actors ea join actors aa on aa.id = ea.actor_id where ea.event_id = events.id',
          `aa.slug${bytes}`,
        ),
        responds_to: joinedList(
          db,
          't.public_id',
          "event_links l join events t on t.id = l.to_event_id where l.from_event_id = events.id and l.relation = 'responds-to' and t.deleted_at is null",
          't.occurred_start, t.id',
        ),
        source_titles: joinedList(db, 's.title', citations, 'c.position, c.id'),
        source_urls: joinedList(db, "coalesce(s.url, '')", citations, 'c.position, c.id'),
      })
  );
}

/** A page of the export: the keys of its events (read beforehand with findEventKeys) and the key before them. */
export interface ExportPage {
  after?: EventCursor;
  keys: readonly EventCursor[];
}

/**
 * The export's rows of a page's events, in timeline order; an event deleted or no longer
 * matching the filter since its key was read is left out. Pages cut by keys read beforehand
 * can be read side by side.
 *
 * On PostgreSQL the page is the index range after the key before it up to its last key (a
 * row comparison it seeks on exactly). SQLite seeks such a range on the day alone, then
 * reads every earlier event of that day from the table to test it (about half a day's
 * events, a few hundred at 1M events, for each page): it reads the page's events by id
 * instead (each through the primary key, from a JSON array of ids bound as one value).
 */
export async function findEventExportRows(db: Db, filter: EventFilter, page: ExportPage): Promise<EventExportRow[]> {
  if (page.keys.length === 0) return [];
  const asc = filter.order === 'asc';
  const order = [
    { column: 'events.occurred_start', order: filter.order },
    { column: 'events.id', order: filter.order },
  ];
  if (isPostgres(db)) {
    const upTo = page.keys[page.keys.length - 1];
    const query = exportQuery(db, filter).whereRaw(`(events.occurred_start, events.id) ${asc ? '<=' : '>='} (?, ?)`, [
      upTo.occurredStart,
      upTo.id,
    ]);
    // The same bounds on the date alone, which PostgreSQL can estimate (it cannot a row
    // comparison, and would sort the whole table rather than walk this short index range).
    query.where('events.occurred_start', asc ? '<=' : '>=', upTo.occurredStart);
    if (page.after) {
      query.where('events.occurred_start', asc ? '>=' : '<=', page.after.occurredStart);
      query.whereRaw(`(events.occurred_start, events.id) ${asc ? '>' : '<'} (?, ?)`, [page.after.occurredStart, page.after.id]);
    }
    return query.orderBy(order);
  }
  const ids = JSON.stringify(page.keys.map((k) => Math.trunc(Number(k.id))));
  // CROSS JOIN keeps the page's ids as the outer loop, whatever indexes the filter's columns have.
  const from = db
    .from(db.raw('(select value as id from json_each(?)) as page_keys', [ids]))
    .crossJoin('events', 'events.id', 'page_keys.id')
    .whereNull('events.deleted_at');
  if (filter.vendorId !== undefined) {
    from.whereExists(db('event_vendors').whereRaw('event_vendors.event_id = events.id').where('event_vendors.vendor_id', filter.vendorId));
  }
  return exportQuery(db, { ...filter, vendorId: undefined }, from).orderBy(order);
}

/** The timeline keys of the next `limit` matching events after `cursor`: read from the index, without the export's lists. */
export async function findEventKeys(db: Db, filter: EventFilter, limit: number, cursor?: EventCursor): Promise<EventCursor[]> {
  const rows = (await timelinePage(
    filteredEvents(db, filter).select('events.occurred_start', 'events.id'),
    filter.order,
    limit,
    cursor,
  )) as Array<{ occurred_start: string; id: number | string }>;
  return rows.map((r) => ({ occurredStart: r.occurred_start, id: Number(r.id) }));
}

/** The export's whole query as SQL text with its values inlined, for the benchmark's `sqlite3 -csv` / `psql \copy` anchor. */
export function eventExportSqlText(db: Db, filter: EventFilter): string {
  return exportQuery(db, filter)
    .orderBy([
      { column: 'events.occurred_start', order: filter.order },
      { column: 'events.id', order: filter.order },
    ])
    .toString();
}

export async function findEventRowByPublicId(db: Db, publicId: string): Promise<EventRow | null> {
  const row = await liveEvents(db).where('events.public_id', publicId).first();
  return (row as EventRow | undefined) ?? null;
}

/**
 * Runs knex queries (lazy until awaited) side by side on a pool, but one after another on a
 * transaction: its single client must not be handed a query while another is running.
 */
// The callers destructure rows of several shapes from one call; `any` keeps that terse.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function runQueries(db: Db, queries: readonly Knex.QueryBuilder[]): Promise<any[]> {
  if (!(db as Knex.Transaction).isTransaction) return Promise.all(queries);
  const results: Awaited<ReturnType<typeof runQueries>> = [];
  for (const query of queries) results.push(await query);
  return results;
}

/** Events hydrated per round of queries: keeps the bound ids (four lists of them) well under SQLite's limit. */
const HYDRATE_CHUNK = 1000;

/** What a row of hydrateEvents' combined lookup is: each part keeps its own order. */
const PART = { vendor: 1, affected: 2, actor: 3, linkOut: 4, linkIn: 5 } as const;

interface LookupRow {
  part: number;
  owner_id: number | null;
  id: number;
  slug: string;
  name: string;
  extra: string | null;
  relation: string | null;
}

/**
 * Loads the vendors, actors, citations and links of a batch of events in two queries: one
 * UNION ALL for the short lookups (vendors, affected actors, acting actors, links both ways),
 * each part in its own order, and one for the citations with their sources' columns.
 */
export async function hydrateEvents(db: Db | Knex.Transaction, rows: readonly EventRow[]): Promise<EventDetail[]> {
  if (rows.length === 0) return [];
  if (rows.length > HYDRATE_CHUNK) {
    const out: EventDetail[] = [];
    for (let i = 0; i < rows.length; i += HYDRATE_CHUNK) out.push(...(await hydrateEvents(db, rows.slice(i, i + HYDRATE_CHUNK))));
    return out;
  }
  const ids = rows.map((r) => r.id);
  const actorIds = [...new Set(rows.map((r) => r.actor_id).filter((id): id is number => id !== null))];

  const linkColumns = (part: number, owner: string) => [
    db.raw(`${part} as part`),
    {
      owner_id: owner,
      id: 'e.id',
      slug: 'e.public_id',
      name: 'e.title',
      extra: 'e.occurred_on',
      relation: 'l.relation',
      sort_key: 'e.occurred_start',
    },
  ];
  const lookups = db('event_vendors as ev')
    .join('vendors as v', 'v.id', 'ev.vendor_id')
    .where((q) => whereInValues(q, 'ev.event_id', ids))
    .select(db.raw(`${PART.vendor} as part`), {
      owner_id: 'ev.event_id',
      id: 'v.id',
      slug: 'v.slug',
      name: 'v.name',
      extra: db.raw('null'),
      relation: db.raw('null'),
      sort_key: 'v.name',
    })
    .unionAll((u) =>
      u
        .from('event_affected_actors as ea')
        .join('actors as a', 'a.id', 'ea.actor_id')
        .where((q) => whereInValues(q, 'ea.event_id', ids))
        .select(db.raw(`${PART.affected} as part`), {
          owner_id: 'ea.event_id',
          id: 'a.id',
          slug: 'a.slug',
          name: 'a.name',
          extra: 'a.kind',
          relation: db.raw('null'),
          sort_key: 'a.name',
        }),
    )
    .unionAll((u) =>
      u
        .from('actors as a')
        .where((q) => whereInValues(q, 'a.id', actorIds))
        .select(db.raw(`${PART.actor} as part`), {
          owner_id: db.raw('null'),
          id: 'a.id',
          slug: 'a.slug',
          name: 'a.name',
          extra: 'a.kind',
          relation: db.raw('null'),
          sort_key: db.raw('null'),
        }),
    )
    .unionAll((u) =>
      u
        .from('event_links as l')
        .join('events as e', 'e.id', 'l.to_event_id')
        .where((q) => whereInValues(q, 'l.from_event_id', ids))
        .whereNull('e.deleted_at')
        .select(...linkColumns(PART.linkOut, 'l.from_event_id')),
    )
    .unionAll((u) =>
      u
        .from('event_links as l')
        .join('events as e', 'e.id', 'l.from_event_id')
        .where((q) => whereInValues(q, 'l.to_event_id', ids))
        .whereNull('e.deleted_at')
        .select(...linkColumns(PART.linkIn, 'l.to_event_id')),
    )
    // Within a part: by name (vendors, actors) or by date (links), then by id so ties keep one order.
    .orderBy([{ column: 'part' }, { column: 'sort_key' }, { column: 'id' }, { column: 'relation' }]);

  const [lookupRows, citationRows] = (await runQueries(db, [
    lookups,
    db('citations as c')
      .join('sources as s', 's.id', 'c.source_id')
      .where((q) => whereInValues(q, 'c.event_id', ids))
      .select('c.event_id', 'c.quote', 'c.locator', ...SOURCE_SUMMARY_COLUMNS.map((c) => `s.${c}`))
      .select({ citation_id: 'c.id' })
      .orderBy([{ column: 'c.event_id' }, { column: 'c.position' }, { column: 'c.id' }]),
  ])) as [LookupRow[], Array<Omit<SourceRow, 'body'> & { event_id: number; quote: string; locator: string; citation_id: number }>];
  const partOf = (part: number) =>
    lookupRows
      .filter((r) => Number(r.part) === part)
      .map((r) => ({ ...r, owner_id: r.owner_id === null ? null : Number(r.owner_id), id: Number(r.id) }));
  const vendorRows = partOf(PART.vendor).map((r) => ({ event_id: r.owner_id as number, id: r.id, slug: r.slug, name: r.name }));
  const affectedRows = partOf(PART.affected).map((r) => ({
    event_id: r.owner_id as number,
    id: r.id,
    slug: r.slug,
    name: r.name,
    kind: r.extra as string,
  }));
  const actorRows = partOf(PART.actor).map((r) => ({ id: r.id, slug: r.slug, name: r.name, kind: r.extra as string }));
  const link = (r: ReturnType<typeof partOf>[number]) => ({
    owner_id: r.owner_id as number,
    relation: r.relation as string,
    id: r.id,
    public_id: r.slug,
    title: r.name,
    occurred_on: r.extra as string,
  });
  const outRows = partOf(PART.linkOut).map(link);
  const inRows = partOf(PART.linkIn).map(link);

  const actorsById = new Map<number, ActorRef>(
    actorRows.map((a: ActorRef) => [a.id, { id: a.id, slug: a.slug, name: a.name, kind: a.kind }]),
  );
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
  const citations = group(citationRows, (c: Omit<SourceRow, 'body'> & { quote: string; locator: string; citation_id: number }) => ({
    source: toSourceSummary(c),
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

/** Where a page of a list starts and how long it is; without it, the whole list. */
export interface PageOptions {
  limit?: number;
  after?: EventCursor;
}

function pageOf(query: Knex.QueryBuilder, options: PageOptions): Knex.QueryBuilder {
  if (options.limit === undefined && !options.after) {
    return query.orderBy([{ column: 'events.occurred_start' }, { column: 'events.id' }]);
  }
  return timelinePage(query, 'asc', options.limit ?? Number.MAX_SAFE_INTEGER, options.after);
}

/** Events that cite a source, in date order (a page of them when asked). */
export async function findEventRowsCitingSource(db: Db, sourceId: number, options: PageOptions = {}): Promise<EventRow[]> {
  return pageOf(eventsThrough(db, 'citations', 'event_id').where('citations.source_id', sourceId).select('events.*'), options);
}

/**
 * Events that affected an actor, in date order (a page of them when asked). The order and
 * the page key are the link's copy of the event's date (db/migrations/202611291710_affected_timeline.ts),
 * so the (actor_id, occurred_start, event_id) index yields the page in order and the read
 * stops after it, however many events affected the actor.
 */
function eventsAffectingActor(db: Db, actorId: number, options: PageOptions): Knex.QueryBuilder {
  const query = eventsThrough(db, 'event_affected_actors', 'event_id').where('event_affected_actors.actor_id', actorId).select('events.*');
  if (options.after) {
    query.whereRaw('(event_affected_actors.occurred_start, event_affected_actors.event_id) > (?, ?)', [
      options.after.occurredStart,
      options.after.id,
    ]);
  }
  query.orderBy([{ column: 'event_affected_actors.occurred_start' }, { column: 'event_affected_actors.event_id' }]);
  return options.limit === undefined ? query : query.limit(options.limit);
}

export async function findEventRowsAffectingActor(db: Db, actorId: number, options: PageOptions = {}): Promise<EventRow[]> {
  return eventsAffectingActor(db, actorId, options);
}

/** The SQL of findEventRowsAffectingActor, for EXPLAIN. */
export function eventRowsAffectingActorSql(db: Db, actorId: number, options: PageOptions = {}): Knex.Sql {
  return eventsAffectingActor(db, actorId, options).toSQL();
}

export async function findLatestEventRows(db: Db, limit: number): Promise<EventRow[]> {
  return liveEvents(db)
    .select('events.*')
    .orderBy([
      { column: 'events.occurred_start', order: 'desc' },
      { column: 'events.id', order: 'desc' },
    ])
    .limit(limit);
}

// ---- writes -------------------------------------------------------------

export interface EventChildren {
  vendorIds: number[];
  affectedIds: number[];
  links: Array<{ relation: string; toEventId: number }>;
  citations: Array<{ sourceId: number; quote: string; locator: string }>;
}

export async function findEventRowByPublicIdAnyState(db: Db, publicId: string): Promise<EventRow | null> {
  const row = await db('events').where('public_id', publicId).first();
  return (row as EventRow | undefined) ?? null;
}

export async function publicIdTaken(db: Db, publicId: string): Promise<boolean> {
  return !!(await db('events').where('public_id', publicId).first('id'));
}

export async function insertEventRow(trx: Knex.Transaction, publicId: string, cols: EventColumns, now: string): Promise<number> {
  const [row] = await trx('events')
    .insert({ public_id: publicId, ...cols, version: 1, created_at: now, updated_at: now, deleted_at: null })
    .returning('id');
  return insertedId(row);
}

/** Replaces an event's vendors, affected actors, outgoing links and citations. */
export async function replaceEventChildren(trx: Knex.Transaction, eventId: number, children: EventChildren): Promise<void> {
  await trx('event_vendors').where({ event_id: eventId }).del();
  await trx('event_affected_actors').where({ event_id: eventId }).del();
  await trx('event_links').where({ from_event_id: eventId }).del();
  await trx('citations').where({ event_id: eventId }).del();
  if (children.vendorIds.length)
    await trx('event_vendors').insert(children.vendorIds.map((vendor_id) => ({ event_id: eventId, vendor_id })));
  if (children.affectedIds.length)
    await trx('event_affected_actors').insert(children.affectedIds.map((actor_id) => ({ event_id: eventId, actor_id })));
  if (children.links.length) {
    await trx('event_links').insert(
      children.links.map((l) => ({ from_event_id: eventId, to_event_id: l.toEventId, relation: l.relation })),
    );
  }
  if (children.citations.length) {
    await trx('citations').insert(
      children.citations.map((c, position) => ({ event_id: eventId, source_id: c.sourceId, quote: c.quote, locator: c.locator, position })),
    );
  }
}

/** Live events sharing a vendor, the date and the type: likely the same event recorded twice. */
export async function findPossibleDuplicates(
  db: Db,
  q: { vendorIds: number[]; occurredOn: string; type: string; excludeId?: number },
): Promise<EventRow[]> {
  const query = eventsThrough(db, 'event_vendors', 'event_id')
    .distinct('events.*')
    .whereIn('event_vendors.vendor_id', q.vendorIds)
    .where({ 'events.occurred_on': q.occurredOn, 'events.type': q.type });
  if (q.excludeId !== undefined) query.whereNot('events.id', q.excludeId);
  return query;
}

/** Moves an event to the trash or back, if it still has `version`; false when someone saved first. */
export async function setEventDeleted(
  trx: Knex.Transaction,
  id: number,
  deletedAt: string | null,
  version: number,
  now: string,
): Promise<boolean> {
  return updateIfVersion(trx, 'events', id, version, { deleted_at: deletedAt, updated_at: now });
}

/** One event's row by its internal id, in whatever state (the caller knows it exists). */
export async function findEventRowById(db: Db, id: number): Promise<EventRow> {
  return (await db('events').where({ id }).first()) as EventRow;
}

/** The ids of vendors or actors by slug; slugs not found are simply absent from the map. */
export async function idsBySlug(db: Db, table: 'vendors' | 'actors', slugs: readonly string[]): Promise<Map<string, number>> {
  const rows: Array<{ id: number; slug: string }> = slugs.length
    ? await db(table)
        .whereIn('slug', [...slugs])
        .select('id', 'slug')
    : [];
  return new Map(rows.map((r) => [r.slug, Number(r.id)]));
}

/** The ids of live (not deleted) events by public id. */
export async function liveEventIdsByPublicId(db: Db, publicIds: readonly string[]): Promise<Map<string, number>> {
  const rows: Array<{ id: number; public_id: string }> = publicIds.length
    ? await db('events')
        .whereIn('public_id', [...publicIds])
        .whereNull('deleted_at')
        .select('id', 'public_id')
    : [];
  return new Map(rows.map((r) => [r.public_id, Number(r.id)]));
}

/** Which of these source ids still exist. */
export async function existingSourceIds(db: Db, ids: readonly number[]): Promise<Set<number>> {
  const rows: Array<{ id: number }> = ids.length
    ? await db('sources')
        .whereIn('id', [...ids])
        .select('id')
    : [];
  return new Set(rows.map((r) => Number(r.id)));
}

export async function findDeletedEventRows(db: Db, limit: number): Promise<EventRow[]> {
  return db('events').whereNotNull('deleted_at').orderBy('deleted_at', 'desc').limit(limit);
}

/** Live events for pickers (id, date, title), newest first. */
export async function listEventChoices(db: Db, limit: number): Promise<Array<{ publicId: string; title: string; occurredOn: string }>> {
  const rows = await liveEvents(db)
    .select('public_id', 'title', 'occurred_on')
    .orderBy([
      { column: 'occurred_start', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit);
  return rows.map((r: { public_id: string; title: string; occurred_on: string }) => ({
    publicId: r.public_id,
    title: r.title,
    occurredOn: r.occurred_on,
  }));
}

/** The most recently created or changed live events, optionally of one vendor. */
export async function findRecentlyChangedEventRows(db: Db, limit: number, vendorId?: number): Promise<EventRow[]> {
  const query = filteredEvents(db, { vendorId, order: 'desc' }).select('events.*');
  return query
    .orderBy([
      { column: 'events.updated_at', order: 'desc' },
      { column: 'events.id', order: 'desc' },
    ])
    .limit(limit);
}
