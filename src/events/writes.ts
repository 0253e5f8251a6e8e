import type { Knex } from 'knex';
import type { Db } from '../db/knex';
import { chunks, deleteIn, insertRows, insertRowsReturningIds, jsonRowsSelect, selectInChunks } from '../db/bulk';
import { ENDING_RELATIONS, refreshInForce, vendorsTouchedBy } from './inForce';
import type { EventColumns } from './repo';

/**
 * The one write path for events and the tables hanging off them (vendors, affected actors,
 * citations, links); sources come from sources/service.ts createSources. The forms write a
 * batch of one; the import and the demo loader write hundreds of rows per call, in a few
 * statements each.
 */

export interface EventCitationRef {
  sourceId: number;
  quote: string;
  locator: string;
}

export interface EventLinkRef {
  relation: string;
  toEventId: number;
}

export interface EventWrite {
  publicId: string;
  columns: EventColumns;
  /**
   * For an update: the stored row and the version it had when it was read, and its columns
   * when the caller read them in the same transaction (the import does): then only the
   * columns some event of the statement changes are set.
   */
  existing?: { id: number; version: number; columns?: EventColumns };
  /** The updated_at to store (a new event may keep the one an imported file gives). */
  updatedAt: string;
  vendorIds: number[];
  affectedIds: number[];
  citations: EventCitationRef[];
  /**
   * For an update: the children known to be stored exactly as given (the import compares
   * them with the stored record), left as they are instead of deleted and written again.
   */
  unchanged?: { vendors?: boolean; affected?: boolean; citations?: boolean };
}

/** Another writer changed one of the events since it was read; nothing of the batch may stand. */
export class StaleEventWrite extends Error {
  constructor(readonly eventIds: number[]) {
    super(`Event(s) ${eventIds.join(', ')} changed while being saved`);
    this.name = 'StaleEventWrite';
  }
}

const EVENT_COLUMNS: ReadonlyArray<keyof EventColumns> = [
  'title',
  'summary',
  'type',
  'jurisdiction',
  'actor_id',
  'occurred_on',
  'occurred_start',
  'effective_on',
  'effective_start',
];
// Parameters per row of an event upsert, to size the statements.
const EVENT_ROWS_PER_STATEMENT = 1_000;

/**
 * Writes new and changed events with their vendors, affected actors and citations.
 * Returns each event's id by public id. Links, revisions and the search index are the
 * caller's next steps (`replaceEventLinks`, `insertRevisions`, `reindexEvents`), so a
 * batch can link to events further down a file.
 */
export async function writeEvents(trx: Knex.Transaction, writes: readonly EventWrite[], now: string): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const creates = writes.filter((w) => !w.existing);
  const updates = writes.filter((w) => w.existing);

  const newIds = await insertRowsReturningIds(
    trx,
    'events',
    creates.map((w) => ({ public_id: w.publicId, ...w.columns, version: 1, created_at: now, updated_at: w.updatedAt, deleted_at: null })),
  );
  creates.forEach((w, i) => ids.set(w.publicId, newIds[i]));

  for (const part of chunks(updates, EVENT_ROWS_PER_STATEMENT)) await updateEventRows(trx, part, now);
  for (const w of updates) ids.set(w.publicId, (w.existing as { id: number }).id);

  const updatedIds = updates.map((w) => (w.existing as { id: number }).id);
  // The measures in force of the vendors an updated event had (it may lose some), and, after
  // the write, of the vendors each event now has. Its links are not changed here, so the
  // vendors its ending links reach are the same before and after (a new event has none yet).
  const touched = await vendorsTouchedBy(trx, updatedIds);
  const idOf = (w: EventWrite) => ids.get(w.publicId) as number;
  const rewritten = (part: 'vendors' | 'affected' | 'citations') => writes.filter((w) => !w.existing || !w.unchanged?.[part]);
  const cleared = (part: 'vendors' | 'affected' | 'citations') =>
    rewritten(part)
      .filter((w) => w.existing)
      .map(idOf);
  await deleteIn(trx, 'event_vendors', 'event_id', cleared('vendors'));
  await deleteIn(trx, 'event_affected_actors', 'event_id', cleared('affected'));
  await deleteIn(trx, 'citations', 'event_id', cleared('citations'));
  // The links carry copies of their event's first day and liveness (for the vendor list and
  // the actor timeline). Written here with the link, so SQLite's triggers, which correct a
  // copy that is not its event's, have nothing to rewrite. The events written here are live (a
  // trashed event is neither edited nor imported over).
  await insertRows(
    trx,
    'event_vendors',
    rewritten('vendors').flatMap((w) =>
      [...new Set(w.vendorIds)].map((vendor_id) => ({ event_id: idOf(w), vendor_id, occurred_start: w.columns.occurred_start, live: 1 })),
    ),
  );
  await insertRows(
    trx,
    'event_affected_actors',
    rewritten('affected').flatMap((w) =>
      [...new Set(w.affectedIds)].map((actor_id) => ({ event_id: idOf(w), actor_id, occurred_start: w.columns.occurred_start })),
    ),
  );
  await insertRows(
    trx,
    'citations',
    rewritten('citations').flatMap((w) =>
      w.citations.map((c, position) => ({ event_id: idOf(w), source_id: c.sourceId, quote: c.quote, locator: c.locator, position })),
    ),
  );
  await refreshInForce(trx, [...touched, ...writes.flatMap((w) => w.vendorIds)]);
  return ids;
}

/**
 * Changed events in one statement per slice: an upsert on the id that only takes effect
 * where the version is still the one read, and reports the rows it changed.
 */
async function updateEventRows(trx: Knex.Transaction, updates: readonly EventWrite[], now: string): Promise<void> {
  const columns = ['id', 'public_id', ...EVENT_COLUMNS, 'version', 'created_at', 'updated_at'];
  const rows = updates.map((w) => {
    const existing = w.existing as { id: number; version: number };
    // The spread comes after a property: an object literal that starts with a spread and adds
    // properties after it took V8 about 8 µs a row here (1.4 s of a 200,000-row update), this
    // form well under 1 µs.
    return {
      id: existing.id,
      ...w.columns,
      public_id: w.publicId,
      version: existing.version + 1,
      created_at: now,
      updated_at: w.updatedAt,
    };
  });
  // SQLite rewrites the entries of every index on a column an UPDATE sets, and fires the
  // triggers on it, whether its value changes or not: an edit of titles alone set the
  // indexed dates, types and places too and took six times as long. A row whose column is
  // set without changing gets its own value again.
  const sets = [...EVENT_COLUMNS.filter((c) => updates.some((w) => changes(w, c))), 'version', 'updated_at']
    .map((c) => `"${c}" = excluded."${c}"`)
    .join(', ');
  const { select, binding } = jsonRowsSelect(trx, 'events', columns, rows);
  // `where true`: SQLite reads an ON CONFLICT straight after a SELECT's FROM as part of a join.
  const result = await trx.raw(
    `insert into events (${columns.map((c) => `"${c}"`).join(', ')}) ${select} where true
     on conflict (id) do update set ${sets} where events.version = excluded.version - 1
     returning id`,
    [binding],
  );
  const returned: Array<{ id: number | string }> = Array.isArray(result) ? result : result.rows;
  if (returned.length !== updates.length) {
    const done = new Set(returned.map((r) => Number(r.id)));
    throw new StaleEventWrite(updates.map((w) => (w.existing as { id: number }).id).filter((id) => !done.has(id)));
  }
}

/** Whether the write may change the column: it does not know the stored value, or differs from it. */
function changes(w: EventWrite, column: keyof EventColumns): boolean {
  const stored = w.existing?.columns;
  if (!stored) return true;
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return text(stored[column]) !== text(w.columns[column]);
}

/**
 * Replaces the outgoing links of events: every relation (the form), or only
 * `responds-to` (the import, whose file has no other relation).
 */
export async function replaceEventLinks(
  trx: Knex.Transaction,
  items: ReadonlyArray<{ eventId: number; links: EventLinkRef[]; created?: boolean }>,
  scope: 'all' | 'responds-to',
): Promise<void> {
  // An event created in this transaction has no links yet: nothing to delete.
  const ids = items.filter((i) => !i.created).map((i) => i.eventId);
  // Only reversing and superseding links move measures in force (the import replaces responds-to alone).
  const endingBefore = scope === 'all' ? await endingLinksFrom(trx, ids) : new Set<string>();
  for (const slice of chunks(ids, 5_000)) {
    const q = trx('event_links').whereIn('from_event_id', slice);
    if (scope === 'responds-to') q.where('relation', 'responds-to');
    await q.del();
  }
  const rows: Array<Record<string, unknown>> = [];
  for (const item of items) {
    const seen = new Set<string>();
    for (const l of item.links) {
      const key = `${l.relation}:${l.toEventId}`;
      if (seen.has(key) || l.toEventId === item.eventId) continue;
      seen.add(key);
      rows.push({ from_event_id: item.eventId, to_event_id: l.toEventId, relation: l.relation });
    }
  }
  await insertRows(trx, 'event_links', rows);
  // The measures a changed ending link starts or stops ending: their vendors' rows are recomputed.
  const endingAfter = new Set(
    rows
      .filter((r) => (ENDING_RELATIONS as readonly unknown[]).includes(r.relation))
      .map((r) => `${r.from_event_id}|${r.to_event_id}|${r.relation}`),
  );
  const changedTargets = [...endingBefore, ...endingAfter]
    .filter((k) => !(endingBefore.has(k) && endingAfter.has(k)))
    .map((k) => Number(k.split('|')[1]));
  if (changedTargets.length) await refreshInForce(trx, await vendorsOfEvents(trx, changedTargets));
}

/** The reversing and superseding links from the given events, as `from|to|relation`. */
async function endingLinksFrom(trx: Knex.Transaction, ids: readonly number[]): Promise<Set<string>> {
  const rows = (await selectInChunks([...ids], (slice) =>
    trx('event_links')
      .whereIn('from_event_id', slice)
      .whereIn('relation', [...ENDING_RELATIONS])
      .select('from_event_id', 'to_event_id', 'relation'),
  )) as Array<{
    from_event_id: number | string;
    to_event_id: number | string;
    relation: string;
  }>;
  return new Set(rows.map((r) => `${Number(r.from_event_id)}|${Number(r.to_event_id)}|${r.relation}`));
}

async function vendorsOfEvents(trx: Knex.Transaction, eventIds: readonly number[]): Promise<number[]> {
  const rows = (await selectInChunks([...new Set(eventIds)], (slice) =>
    trx('event_vendors').whereIn('event_id', slice).distinct('vendor_id'),
  )) as Array<{ vendor_id: number | string }>;
  return rows.map((r) => Number(r.vendor_id));
}

/** Ids of recorded sources by normalised URL. */
export async function sourceIdsByUrl(conn: Db, urls: readonly string[]): Promise<Map<string, number>> {
  const rows = await selectInChunks([...new Set(urls)], (slice) => conn('sources').whereIn('url', slice).select('id', 'url'));
  return new Map((rows as Array<{ id: number; url: string }>).map((r) => [r.url, Number(r.id)]));
}
