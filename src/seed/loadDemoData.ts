import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { actorSnapshot } from '../actors/service';
import { toActor } from '../actors/repo';
import type { Db } from '../db/knex';
import { insertVersionedRows, updateIfVersion } from '../db/versioned';
import { eventSnapshot } from '../events/editing';
import { type EventColumns, type EventDetail, type EventRow, hydrateEvents } from '../events/repo';
import { countAllEvents, findEventRowsByPublicIds, findRevisionAuthors, findRowsBySlugs, setEventPublicId } from './repo';
import { type EventCitationRef, type EventWrite, replaceEventLinks, writeEvents } from '../events/writes';
import {
  findSourceRowsByUrls,
  findSourcesByIds,
  findUrllessSourceRowsByTitles,
  type NewSource,
  toSource,
  updateSourceRow,
} from '../sources/repo';
import { diffSnapshots, type Snapshot } from '../history/diff';
import { type Editor, type EntityType, insertRevisions, type NewRevision } from '../history/repo';
import { parsePartialDate } from '../lib/partialDate';
import { nowIso } from '../lib/time';
import { PROJECT_ROOT } from '../lib/paths';
import { reindexEvents, reindexSources } from '../db/searchIndex';
import { createSources, snapshotOfSource, sourceSnapshot } from '../sources/service';
import { aliasesColumn, toVendor } from '../vendors/repo';
import { vendorSnapshot } from '../vendors/service';
import {
  type DemoActor,
  type DemoEvent,
  type DemoSource,
  type DemoVendor,
  demoActors,
  demoEvents,
  demoSources,
  demoVendors,
} from '../../seeds';

/** Who the history names for what the demo data wrote. */
export const DEMO_EDITOR: Editor = { id: null, displayName: 'Demo data' };

export interface DemoLoadResult {
  /** Records added, per kind. */
  vendors: number;
  actors: number;
  sources: number;
  events: number;
  /** Records of the demo data brought up to date (nobody else had edited them). */
  corrected: number;
}

// Rows of four tables pass through the same ownership check; their other columns vary.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any> & { id: number; version: number; created_at: string };

/** The ids of the records whose whole history is the demo data's own, and of those with any history. */
async function demoOwnership(
  trx: Knex.Transaction,
  entityType: EntityType,
  rows: readonly Row[],
): Promise<{ owned: Set<number>; withHistory: Set<number> }> {
  const revisions = await findRevisionAuthors(
    trx,
    entityType,
    rows.map((r) => Number(r.id)),
  );
  const withHistory = new Set<number>();
  const foreign = new Set<number>();
  for (const r of revisions) {
    withHistory.add(Number(r.entity_id));
    if (r.user_id !== null || r.user_name !== DEMO_EDITOR.displayName) foreign.add(Number(r.entity_id));
  }
  // A record without history is the earlier demo data's only if nothing ever saved it again.
  const owned = rows
    .filter((r) => !foreign.has(Number(r.id)) && (withHistory.has(Number(r.id)) || Number(r.version) === 1))
    .map((r) => Number(r.id));
  return { owned: new Set(owned), withHistory };
}

interface Pending {
  revisions: NewRevision[];
  corrected: number;
}

/**
 * How one kind of simple record (vendor, actor, source) is found, shown and stored. The
 * writes go through the kind's own write path, the one its form uses.
 */
interface RecordKind<D> {
  entityType: EntityType;
  keyOf(d: D): string;
  findExisting(trx: Knex.Transaction, items: readonly D[]): Promise<Map<string, Row>>;
  snapshotOfRow(row: Row): Snapshot;
  snapshotOf(d: D): Snapshot;
  /** Stores new records as their version 1, stamped `now`; returns their ids in the order given. */
  insert(trx: Knex.Transaction, items: readonly D[], now: string): Promise<number[]>;
  /** Whether `insert` records the new records' history itself (and their search entries). */
  insertRecordsHistory: boolean;
  /** Saves the demo's version of a record over `version`; false when someone saved first. */
  update(trx: Knex.Transaction, id: number, version: number, d: D, now: string): Promise<boolean>;
}

/**
 * Adds the missing records of one kind and brings the demo's own records up to date;
 * a record anyone else has touched is left as it is. Returns the id of every key and
 * the ids it wrote.
 */
async function reconcile<D>(
  trx: Knex.Transaction,
  kind: RecordKind<D>,
  items: readonly D[],
  now: string,
  pending: Pending,
): Promise<{ ids: Map<string, number>; created: number[]; changed: number[] }> {
  const existing = await kind.findExisting(trx, items);
  const { owned, withHistory } = await demoOwnership(trx, kind.entityType, [...existing.values()]);
  const ids = new Map<string, number>();
  const changed: number[] = [];

  for (const d of items) {
    const row = existing.get(kind.keyOf(d));
    if (!row) continue;
    const id = Number(row.id);
    ids.set(kind.keyOf(d), id);
    if (!owned.has(id)) continue;
    const current = kind.snapshotOfRow(row);
    const version = Number(row.version);
    if (!withHistory.has(id))
      pending.revisions.push({
        entityType: kind.entityType,
        entityId: id,
        action: 'create',
        version,
        by: DEMO_EDITOR,
        at: row.created_at,
        changes: diffSnapshots(null, current),
      });
    const changes = diffSnapshots(current, kind.snapshotOf(d));
    if (Object.keys(changes).length === 0) continue;
    if (!(await kind.update(trx, id, version, d, now))) continue;
    pending.revisions.push({
      entityType: kind.entityType,
      entityId: id,
      action: 'update',
      version: version + 1,
      by: DEMO_EDITOR,
      at: now,
      changes,
    });
    pending.corrected++;
    changed.push(id);
  }

  const missing = items.filter((d) => !existing.has(kind.keyOf(d)));
  const created = await kind.insert(trx, missing, now);
  missing.forEach((d, i) => {
    ids.set(kind.keyOf(d), created[i]);
    if (kind.insertRecordsHistory) return;
    pending.revisions.push({
      entityType: kind.entityType,
      entityId: created[i],
      action: 'create',
      version: 1,
      by: DEMO_EDITOR,
      at: now,
      changes: diffSnapshots(null, kind.snapshotOf(d)),
    });
  });
  return { ids, created, changed };
}

const bySlug = (table: 'vendors' | 'actors') => async (trx: Knex.Transaction, items: ReadonlyArray<{ slug: string }>) => {
  const rows = await findRowsBySlugs<Row>(
    trx,
    table,
    items.map((i) => i.slug),
  );
  return new Map(rows.map((r) => [r.slug as string, r]));
};

/** Vendors and actors: the rows their forms write, through src/db/versioned.ts. */
function versionedWrites<D>(table: 'vendors' | 'actors', columnsOf: (d: D) => Record<string, unknown>) {
  return {
    insert: (trx: Knex.Transaction, items: readonly D[], now: string) => insertVersionedRows(trx, table, items.map(columnsOf), now),
    insertRecordsHistory: false,
    update: (trx: Knex.Transaction, id: number, version: number, d: D, now: string) =>
      updateIfVersion(trx, table, id, version, { ...columnsOf(d), updated_at: now }),
  };
}

const vendorKind: RecordKind<DemoVendor> = {
  entityType: 'vendor',
  keyOf: (v) => v.slug,
  findExisting: bySlug('vendors'),
  snapshotOfRow: (row) => vendorSnapshot(toVendor(row as Parameters<typeof toVendor>[0])),
  snapshotOf: (v) => vendorSnapshot(v),
  ...versionedWrites<DemoVendor>('vendors', (v) => ({
    slug: v.slug,
    name: v.name,
    aliases: aliasesColumn(v.aliases),
    country: v.country,
    website: v.website,
    description: v.description,
  })),
};

const actorKind: RecordKind<DemoActor> = {
  entityType: 'actor',
  keyOf: (a) => a.slug,
  findExisting: bySlug('actors'),
  snapshotOfRow: (row) => actorSnapshot(toActor(row as Parameters<typeof toActor>[0])),
  snapshotOf: (a) => actorSnapshot(a),
  ...versionedWrites<DemoActor>('actors', (a) => ({
    slug: a.slug,
    name: a.name,
    kind: a.kind,
    jurisdiction: a.jurisdiction,
    description: a.description,
  })),
};

function sourceBody(s: DemoSource): string | undefined {
  return s.bodyFile ? fs.readFileSync(path.join(PROJECT_ROOT, 'seeds', s.bodyFile), 'utf8') : undefined;
}

function sourceFields(s: DemoSource): NewSource {
  return {
    url: s.url,
    title: s.title,
    publisher: s.publisher,
    published_on: s.publishedOn,
    reliability: null,
    language: s.language,
    body: sourceBody(s),
  };
}

const sourceKind: RecordKind<DemoSource> = {
  entityType: 'source',
  keyOf: (s) => s.key,
  // A source with an address is known by it; one without, by its title.
  async findExisting(trx, items) {
    const urls = items.filter((s) => s.url).map((s) => s.url as string);
    const titles = items.filter((s) => !s.url).map((s) => s.title);
    const byUrl = (await findSourceRowsByUrls(trx, urls)) as Row[];
    const byTitle = (await findUrllessSourceRowsByTitles(trx, titles)) as Row[];
    const out = new Map<string, Row>();
    for (const s of items) {
      const row = s.url ? byUrl.find((r) => r.url === s.url) : byTitle.find((r) => r.title === s.title);
      if (row) out.set(s.key, row);
    }
    return out;
  },
  snapshotOfRow: (row) => snapshotOfSource(toSource(row as Parameters<typeof toSource>[0])),
  snapshotOf: (s) => sourceSnapshot(sourceFields(s)),
  // The sources' own write path: new ones with their history and search entries, as the forms make them.
  insert: (trx, items, now) => createSources(trx, DEMO_EDITOR, items.map(sourceFields), now),
  insertRecordsHistory: true,
  update: (trx, id, version, s, now) => updateSourceRow(trx, id, version, sourceFields(s), now),
};

function pick(map: ReadonlyMap<string, number>, key: string, what: string): number {
  const id = map.get(key);
  if (id === undefined) throw new Error(`Demo data: unknown ${what} "${key}"`);
  return id;
}

function eventColumnsOfDemo(e: DemoEvent, actorId: number): EventColumns {
  return {
    title: e.title,
    summary: e.summary,
    type: e.type,
    jurisdiction: e.jurisdiction,
    actor_id: actorId,
    occurred_on: e.occurredOn,
    occurred_start: parsePartialDate(e.occurredOn).start,
    effective_on: e.effectiveOn ?? null,
    effective_start: e.effectiveOn ? parsePartialDate(e.effectiveOn).start : null,
  };
}

/** Links are compared as a set: events linked on the same day come back in no fixed order. */
function sameEvent(a: Snapshot, b: Snapshot): boolean {
  const norm = (s: Snapshot) => ({ ...s, links: s.links.split('\n').sort().join('\n') });
  return Object.keys(diffSnapshots(norm(a), norm(b))).length === 0;
}

/**
 * The demo links whose target is not in the trash: like a form, the demo data does not link
 * to a deleted event (and the history, which hides such links, would never match otherwise).
 */
function liveLinks(e: DemoEvent, trashed: ReadonlySet<string>) {
  return (e.links ?? []).filter((l) => !trashed.has(l.to));
}

interface SourceView {
  id: number;
  title: string;
  url: string | null;
}

/** The event as its history would show it once the demo's version is stored. */
function demoEventSnapshot(
  e: DemoEvent,
  sources: ReadonlyMap<string, SourceView>,
  trashed: ReadonlySet<string>,
  startOf: ReadonlyMap<string, string>,
): Snapshot {
  const links = liveLinks(e, trashed).sort((a, b) => (startOf.get(a.to) ?? '').localeCompare(startOf.get(b.to) ?? ''));
  const detail = {
    title: e.title,
    summary: e.summary,
    type: e.type,
    jurisdiction: e.jurisdiction,
    actor: { slug: e.actor },
    affected: (e.affected ?? []).map((slug) => ({ slug })),
    vendors: e.vendors.map((slug) => ({ slug })),
    occurredOn: e.occurredOn,
    effectiveOn: e.effectiveOn ?? null,
    linksOut: links.map((l) => ({ relation: l.relation, event: { publicId: l.to } })),
    citations: e.citations.map((c) => {
      const s = sources.get(c.source) as SourceView;
      return { source: { title: s.title, url: s.url }, quote: c.quote, locator: '' };
    }),
  };
  return eventSnapshot(detail as unknown as EventDetail);
}

interface Refs {
  vendors: ReadonlyMap<string, number>;
  actors: ReadonlyMap<string, number>;
  sources: ReadonlyMap<string, SourceView>;
}

/** Adds the missing demo events and brings the demo's own events up to date. */
async function reconcileEvents(trx: Knex.Transaction, refs: Refs, now: string, pending: Pending): Promise<number> {
  const knownIds = demoEvents.flatMap((e) => [e.publicId, ...(e.previousPublicIds ?? [])]);
  const rows = await findEventRowsByPublicIds(trx, knownIds);
  const byPublicId = new Map(rows.map((r) => [r.public_id, r]));
  const rowOf = (e: DemoEvent) => byPublicId.get(e.publicId) ?? (e.previousPublicIds ?? []).map((id) => byPublicId.get(id)).find(Boolean);
  const { owned, withHistory } = await demoOwnership(trx, 'event', rows as unknown as Row[]);
  const trashed = new Set(demoEvents.filter((e) => rowOf(e)?.deleted_at).map((e) => e.publicId));
  // Links appear in the history in their targets' date order, as the event pages read them.
  const startOf = new Map(demoEvents.map((d) => [d.publicId, parsePartialDate(d.occurredOn).start]));
  const current = new Map(
    (
      await hydrateEvents(
        trx,
        rows.filter((r) => owned.has(Number(r.id))),
      )
    ).map((d) => [Number(d.id), eventSnapshot(d)]),
  );

  const writes: EventWrite[] = [];
  const afterWrite: Array<{ e: DemoEvent; existing?: EventRow; before?: Snapshot; after: Snapshot }> = [];
  for (const e of demoEvents) {
    const row = rowOf(e);
    if (row && !owned.has(Number(row.id))) continue;
    const after = demoEventSnapshot(e, refs.sources, trashed, startOf);
    if (row) {
      const before = current.get(Number(row.id)) as Snapshot;
      if (!withHistory.has(Number(row.id))) {
        pending.revisions.push({
          entityType: 'event',
          entityId: Number(row.id),
          action: 'create',
          version: Number(row.version),
          by: DEMO_EDITOR,
          at: row.created_at,
          changes: diffSnapshots(null, before),
        });
      }
      if (row.public_id === e.publicId && sameEvent(before, after)) continue;
      afterWrite.push({ e, existing: row, before, after });
    } else afterWrite.push({ e, after });
    writes.push({
      publicId: e.publicId,
      columns: eventColumnsOfDemo(e, pick(refs.actors, e.actor, 'actor')),
      existing: row ? { id: Number(row.id), version: Number(row.version) } : undefined,
      updatedAt: now,
      vendorIds: e.vendors.map((slug) => pick(refs.vendors, slug, 'vendor')),
      affectedIds: (e.affected ?? []).map((slug) => pick(refs.actors, slug, 'actor')),
      citations: e.citations.map((c): EventCitationRef => ({
        sourceId: (refs.sources.get(c.source) as SourceView).id,
        quote: c.quote,
        locator: '',
      })),
    });
  }
  if (writes.length === 0) return 0;

  const written = await writeEvents(trx, writes, now);
  // The shared write path keeps public ids; an event the demo now publishes under a new id moves here.
  for (const { e, existing } of afterWrite) {
    if (existing && existing.public_id !== e.publicId) await setEventPublicId(trx, existing.id, e.publicId);
  }
  // Links may point at any demo event, new or old, under its current id.
  const eventIds = new Map<string, number>();
  for (const e of demoEvents) {
    const id = written.get(e.publicId) ?? rowOf(e)?.id;
    if (id !== undefined) eventIds.set(e.publicId, Number(id));
  }
  await replaceEventLinks(
    trx,
    afterWrite.map(({ e }) => ({
      eventId: pick(eventIds, e.publicId, 'event'),
      links: liveLinks(e, trashed).map((l) => ({ relation: l.relation, toEventId: pick(eventIds, l.to, 'event') })),
    })),
    'all',
  );
  for (const { e, existing, before, after } of afterWrite) {
    const id = pick(eventIds, e.publicId, 'event');
    pending.revisions.push(
      existing
        ? {
            entityType: 'event',
            entityId: id,
            action: 'update',
            version: Number(existing.version) + 1,
            by: DEMO_EDITOR,
            at: now,
            changes: diffSnapshots(before as Snapshot, after),
          }
        : {
            entityType: 'event',
            entityId: id,
            action: 'create',
            version: 1,
            by: DEMO_EDITOR,
            at: now,
            changes: diffSnapshots(null, after),
          },
    );
  }
  pending.corrected += afterWrite.filter((w) => w.existing).length;
  await reindexEvents(trx, [...written.values()]);
  return afterWrite.filter((w) => !w.existing).length;
}

/**
 * Loads the sourced demo data, and is safe to run on every start. It adds what is missing
 * and brings the demo's own records up to date, each change in their history as made by
 * the demo data; a record an analyst added or edited is never touched. Records are matched
 * by slug, URL (or title, for a source without one) and public id (or an earlier one).
 */
export async function loadDemoData(db: Db): Promise<DemoLoadResult> {
  const now = nowIso();
  return db.transaction(async (trx) => {
    const pending: Pending = { revisions: [], corrected: 0 };
    const vendors = await reconcile(trx, vendorKind, demoVendors, now, pending);
    const actors = await reconcile(trx, actorKind, demoActors, now, pending);
    const sources = await reconcile(trx, sourceKind, demoSources, now, pending);
    // New sources were indexed as they were created; corrected ones are indexed again.
    await reindexSources(trx, sources.changed);

    const stored: SourceView[] = await findSourcesByIds(trx, [...sources.ids.values()]);
    const storedById = new Map(stored.map((s) => [Number(s.id), s]));
    const sourceViews = new Map([...sources.ids].map(([key, id]) => [key, { ...(storedById.get(id) as SourceView), id }]));
    const events = await reconcileEvents(trx, { vendors: vendors.ids, actors: actors.ids, sources: sourceViews }, now, pending);

    await insertRevisions(trx, pending.revisions);
    return {
      vendors: vendors.created.length,
      actors: actors.created.length,
      sources: sources.created.length,
      events,
      corrected: pending.corrected,
    };
  });
}

/** True when the database has no events at all, deleted ones included: a fresh install. */
export async function isEmptyDatabase(db: Db): Promise<boolean> {
  return (await countAllEvents(db)) === 0;
}
