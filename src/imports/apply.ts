import type { Knex } from 'knex';
import { EVENT_CSV_COLUMNS } from '../events/csv';
import { eventColumnsOf } from '../events/editing';
import {
  type EventCitationRef,
  type EventLinkRef,
  type EventWrite,
  replaceEventLinks,
  StaleEventWrite,
  writeEvents,
} from '../events/writes';
import { chunks, yieldToEventLoop } from '../db/bulk';
import { insertVersionedRows } from '../db/versioned';
import { diffSnapshots } from '../history/diff';
import { type Changes, type ChangesJson, changesJson, type Editor, insertRevisions, type NewRevision } from '../history/repo';
import { AppError } from '../lib/errors';
import { slugify } from '../lib/slug';
import { indexEventTexts } from '../db/searchIndex';
import { createSources } from '../sources/service';
import { type PlannedBatch, type PlannedRow, sourceKey } from './plan';
import { eventIdsByPublicId, takenPublicIds } from './repo';

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  newVendors: number;
  newActors: number;
  newSources: number;
}

/** What the writer carries from one batch to the next. */
export interface WriteState {
  by: Editor;
  now: string;
  /** Links to events further down the file, written once every row is in. */
  deferredLinks: Array<{ fromId: number; target: string }>;
  /** Called once the batch's events statement is sent, the longest of the batch: the file's next batch is read meanwhile. */
  whileEventsWrite?: () => void;
}

/** "china-telecom-americas" -> "China Telecom Americas": a name to correct later in the form. */
const nameFromSlug = (slug: string) =>
  slug
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');

/** The columns a revision records: not the bookkeeping ones. Worked out once, not per row. */
const SNAPSHOT_COLUMNS = EVENT_CSV_COLUMNS.filter((c) => c !== 'updated_at' && c !== 'date_precision');

const snapshotOf = (cells: Record<string, string>) => {
  const snapshot: Record<string, string> = {};
  for (const c of SNAPSHOT_COLUMNS) snapshot[c] = cells[c] ?? '';
  return snapshot;
};

/**
 * Ids of vendors or actors by slug, creating (and recording) the ones not there yet.
 * `known` is what the plan found of the batch's slugs in the same transaction.
 */
async function ensureBySlug(
  trx: Knex.Transaction,
  state: WriteState,
  table: 'vendors' | 'actors',
  slugs: string[],
  known: ReadonlyMap<string, number>,
): Promise<Map<string, number>> {
  const ids = new Map(known);
  const missing = [...new Set(slugs)].filter((s) => !ids.has(s));
  if (missing.length === 0) return ids;
  const fields = (slug: string) =>
    table === 'vendors'
      ? { slug, name: nameFromSlug(slug), aliases: '', country: null, website: null, description: '' }
      : { slug, name: nameFromSlug(slug), kind: 'other', jurisdiction: null, description: '' };
  // The versioned-row insert every writer of vendors and actors uses (forms, demo loader).
  const created = await insertVersionedRows(trx, table, missing.map(fields), state.now);
  const entityType = table === 'vendors' ? 'vendor' : 'actor';
  const changesOf = (slug: string): Changes =>
    table === 'vendors'
      ? { slug: ['', slug], name: ['', nameFromSlug(slug)] }
      : { slug: ['', slug], name: ['', nameFromSlug(slug)], kind: ['', 'other'] };
  await insertRevisions(
    trx,
    missing.map((slug, i): NewRevision => ({
      entityType,
      entityId: created[i],
      action: 'create',
      version: 1,
      by: state.by,
      at: state.now,
      changes: changesOf(slug),
    })),
  );
  missing.forEach((slug, i) => ids.set(slug, created[i]));
  return ids;
}

/** Source ids for the batch's citations, creating the new sources once each. */
async function sourceIdsFor(trx: Knex.Transaction, state: WriteState, rows: readonly PlannedRow[]): Promise<Map<string, number>> {
  const fresh = new Map<string, { url: string | null; title: string }>();
  for (const row of rows)
    for (const c of row.data.citations)
      if (!c.source_id && !fresh.has(sourceKey(c))) fresh.set(sourceKey(c), { url: c.url, title: c.title });
  const list = [...fresh.values()].map((s) => ({ url: s.url, title: s.title, publisher: '', published_on: null, reliability: null }));
  const ids = await createSources(trx, state.by, list, state.now);
  return new Map([...fresh.keys()].map((key, i) => [key, ids[i]]));
}

/** Public ids for new rows without one: date and title, with -2, -3 … when taken. */
async function assignPublicIds(trx: Knex.Transaction, rows: PlannedRow[]): Promise<void> {
  const unnamed = rows.filter((r) => r.action === 'create' && !r.publicId);
  if (unnamed.length === 0) return;
  const base = (r: PlannedRow) => `${r.data.occurred_on}-${slugify(r.data.title, 80) || 'event'}`;
  const taken = await takenPublicIds(trx, unnamed.map(base));
  for (const r of rows) if (r.publicId) taken.add(r.publicId);
  for (const r of unnamed) {
    const first = base(r);
    let candidate = first;
    // Rare (two events with the same date and title): one query per further candidate.
    for (let n = 2; taken.has(candidate) || (candidate !== first && (await takenPublicIds(trx, [candidate])).size > 0); n++)
      candidate = `${first}-${n}`;
    taken.add(candidate);
    r.publicId = candidate;
  }
}

/**
 * Writes one checked batch inside the import's transaction: vendors, actors and sources
 * it names, the events and their children, links, revisions and the search index, in a
 * fixed number of statements whatever the batch size.
 */
export async function writeBatch(trx: Knex.Transaction, state: WriteState, planned: PlannedBatch): Promise<void> {
  const rows = planned.rows.filter((r) => r.action !== 'unchanged');
  if (rows.length === 0) return;
  const named = await ensureNamed(trx, state, rows, planned);
  await assignPublicIds(trx, rows);
  const writes = rows.map((row) => eventWriteOf(state, row, named));
  // The events statement is the batch's longest: the next batch is read, and the revisions'
  // text made, while the database runs it (a turn of the event loop later, once it is sent).
  const written = writeEventsOf(trx, state, rows, writes);
  // Awaited below; marked handled now, as it may fail before then.
  written.catch(() => undefined);
  state.whileEventsWrite?.();
  const changes = await revisionChangesMeanwhile(rows);
  const eventIds = await written;
  await writeLinks(trx, state, rows, eventIds);
  await recordRevisions(trx, state, rows, eventIds, changes);
  await indexEventTexts(
    trx,
    writes.map((w) => ({
      eventId: eventIds.get(w.publicId) as number,
      title: w.columns.title,
      summary: w.columns.summary,
      quotes: w.citations.map((c) => c.quote),
    })),
    rows.filter((r) => r.existing).map((r) => (r.existing as { id: number }).id),
  );
}

/** The ids of the vendors, actors and sources the batch names, the new ones created. */
interface NamedIds {
  vendorIds: Map<string, number>;
  actorIds: Map<string, number>;
  newSourceIds: Map<string, number>;
}

async function ensureNamed(
  trx: Knex.Transaction,
  state: WriteState,
  rows: readonly PlannedRow[],
  planned: PlannedBatch,
): Promise<NamedIds> {
  const vendorIds = await ensureBySlug(
    trx,
    state,
    'vendors',
    rows.flatMap((r) => r.data.vendors),
    planned.vendorIds,
  );
  const actorIds = await ensureBySlug(
    trx,
    state,
    'actors',
    rows.flatMap((r) => [r.data.actor, ...r.data.affected].filter(Boolean)),
    planned.actorIds,
  );
  return { vendorIds, actorIds, newSourceIds: await sourceIdsFor(trx, state, rows) };
}

/** One row as the events write path takes it. */
function eventWriteOf(state: WriteState, row: PlannedRow, named: NamedIds): EventWrite {
  const d = row.data;
  const seen = new Set<number>();
  const citations: EventCitationRef[] = [];
  for (const c of d.citations) {
    const sourceId = c.source_id ? Number(c.source_id) : (named.newSourceIds.get(sourceKey(c)) as number);
    if (seen.has(sourceId)) continue;
    seen.add(sourceId);
    // The file has no quotes: an update keeps those of the sources it still cites (read by the plan, in this transaction).
    const before = row.existing?.notes.get(sourceId);
    citations.push({ sourceId, quote: before?.quote ?? '', locator: before?.locator ?? '' });
  }
  const existing = row.existing;
  return {
    publicId: row.publicId,
    columns: eventColumnsOf(d, d.actor ? (named.actorIds.get(d.actor) as number) : null),
    existing: existing ? { id: existing.id, version: existing.version, columns: existing.columns } : undefined,
    // A new event keeps the file's updated_at (so an export of the import matches the file);
    // an updated one is stamped now, so later imports of older copies are refused.
    updatedAt: existing ? state.now : (row.updatedAt ?? state.now),
    vendorIds: d.vendors.map((s) => named.vendorIds.get(s) as number),
    affectedIds: d.affected.map((s) => named.actorIds.get(s) as number),
    citations,
    // What the row leaves as stored is not written again: same sources in the same order keep their quotes.
    unchanged: existing && {
      vendors: existing.same.vendors,
      affected: existing.same.affected,
      citations: citations.length === existing.sourceIds.length && citations.every((c, i) => c.sourceId === existing.sourceIds[i]),
    },
  };
}

/** The events and their children; a row changed by someone else meanwhile ends the import. */
async function writeEventsOf(
  trx: Knex.Transaction,
  state: WriteState,
  rows: readonly PlannedRow[],
  writes: readonly EventWrite[],
): Promise<Map<string, number>> {
  try {
    return await writeEvents(trx, writes, state.now);
  } catch (err) {
    if (!(err instanceof StaleEventWrite)) throw err;
    const row = rows.find((r) => r.existing && err.eventIds.includes(r.existing.id));
    throw new AppError(
      409,
      'version_conflict',
      `Line ${row?.line}: event ${row?.publicId} changed during the import; nothing was imported.`,
    );
  }
}

/** What a row's revision records: its cells before and after. */
const revisionChangesOf = (row: PlannedRow): ChangesJson =>
  changesJson(diffSnapshots(row.existing ? snapshotOf(row.existing.record) : null, snapshotOf(row.cells)));

/**
 * The rows' revision changes, made a slice at a time with a turn of the event loop before
 * each, so the statement just sent is handed to the database (SQLite prepares a statement
 * and calls back before it runs it) instead of waiting for all of them.
 */
async function revisionChangesMeanwhile(rows: readonly PlannedRow[]): Promise<ChangesJson[]> {
  const changes: ChangesJson[] = [];
  for (const slice of chunks(rows, 100)) {
    await yieldToEventLoop();
    for (const row of slice) changes.push(revisionChangesOf(row));
  }
  return changes;
}

/** One revision per written event, in one batch. */
async function recordRevisions(
  trx: Knex.Transaction,
  state: WriteState,
  rows: readonly PlannedRow[],
  eventIds: ReadonlyMap<string, number>,
  changes: readonly ChangesJson[],
): Promise<void> {
  await insertRevisions(
    trx,
    rows.map((row, i): NewRevision => ({
      entityType: 'event',
      entityId: eventIds.get(row.publicId) as number,
      action: row.existing ? 'update' : 'create',
      version: row.existing ? row.existing.version + 1 : 1,
      by: state.by,
      at: state.now,
      changes: changes[i],
    })),
  );
}

/** responds_to links: to events already stored or in this batch now, to later rows at the end. */
async function writeLinks(
  trx: Knex.Transaction,
  state: WriteState,
  rows: readonly PlannedRow[],
  batchIds: Map<string, number>,
): Promise<void> {
  const targets = [...new Set(rows.flatMap((r) => r.respondsTo))].filter((t) => !batchIds.has(t));
  const stored = await eventIdsByPublicId(trx, targets);
  const items = [];
  for (const row of rows) {
    const fromId = batchIds.get(row.publicId) as number;
    const links = [];
    for (const target of row.respondsTo) {
      const to = batchIds.get(target) ?? stored.get(target);
      if (to === undefined) state.deferredLinks.push({ fromId, target });
      else links.push({ relation: 'responds-to', toEventId: to });
    }
    items.push({ eventId: fromId, links, created: !row.existing });
  }
  await replaceEventLinks(trx, items, 'responds-to');
}

/** The links to rows that came later in the file, now that every row is written. */
export async function writeDeferredLinks(trx: Knex.Transaction, state: WriteState): Promise<void> {
  if (state.deferredLinks.length === 0) return;
  const ids = await eventIdsByPublicId(
    trx,
    state.deferredLinks.map((l) => l.target),
  );
  // Added to what each event already has (its earlier targets were written with its batch).
  const byEvent = new Map<number, EventLinkRef[]>();
  for (const l of state.deferredLinks) {
    const to = ids.get(l.target);
    if (to === undefined) continue;
    const links = byEvent.get(l.fromId) ?? [];
    links.push({ relation: 'responds-to', toEventId: to });
    byEvent.set(l.fromId, links);
  }
  await replaceEventLinks(
    trx,
    [...byEvent].map(([eventId, links]) => ({ eventId, links, created: true })),
    'responds-to',
  );
  state.deferredLinks = [];
}
