import type { Knex } from 'knex';
import type { Db } from '../db/knex';
import { insertedId, updateIfVersion } from '../db/versioned';
import { EVENT_CSV_COLUMNS } from '../events/csv';
import { eventColumnsOf } from '../events/editing';
import { insertEventRow, publicIdTaken } from '../events/repo';
import { diffSnapshots } from '../history/diff';
import { type Editor, insertRevision } from '../history/repo';
import { AppError } from '../http/errors';
import { slugify } from '../lib/slug';
import { nowIso } from '../lib/time';
import { reindexEvent } from '../search/indexer';
import { insertSource } from '../sources/service';
import { type ImportPlan, planImport, type PlannedRow } from './plan';
import type { CsvRow } from './parse';

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  newVendors: number;
  newActors: number;
  newSources: number;
}

/** "china-telecom-americas" -> "China Telecom Americas": a name to correct later in the form. */
const nameFromSlug = (slug: string) => slug.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');

const snapshotOf = (cells: Record<string, string>) => Object.fromEntries(EVENT_CSV_COLUMNS.filter((c) => c !== 'updated_at' && c !== 'date_precision').map((c) => [c, cells[c] ?? '']));

/**
 * Applies a file in one transaction: every row or none. The plan is made again inside the
 * transaction, so what is written matches what is stored at that moment; any invalid row
 * (or an event changed meanwhile) rolls everything back.
 */
export async function applyImport(db: Db, by: Editor, csvRows: CsvRow[], onProgress?: (stage: string, done: number, total: number) => void): Promise<ImportSummary> {
  return db.transaction(async (trx) => {
    const plan = await planImport(trx, csvRows, (d, t) => onProgress?.('checking', d, t));
    if (plan.invalid.length) throw new AppError(422, 'import_invalid', `${plan.invalid.length} row(s) cannot be imported; nothing was imported.`, { invalid: plan.invalid });
    return writePlan(trx, by, plan, onProgress);
  });
}

async function writePlan(trx: Knex.Transaction, by: Editor, plan: ImportPlan, onProgress?: (stage: string, done: number, total: number) => void): Promise<ImportSummary> {
  const now = nowIso();
  const vendorIds = new Map<string, number>();
  const actorIds = new Map<string, number>();
  for (const slug of plan.newVendors) {
    const [row] = await trx('vendors').insert({ slug, name: nameFromSlug(slug), aliases: '', country: null, website: null, description: '', version: 1, created_at: now, updated_at: now }).returning('id');
    await insertRevision(trx, { entityType: 'vendor', entityId: insertedId(row), action: 'create', version: 1, by, at: now, changes: { slug: ['', slug], name: ['', nameFromSlug(slug)] } });
  }
  for (const slug of plan.newActors) {
    const [row] = await trx('actors').insert({ slug, name: nameFromSlug(slug), kind: 'other', jurisdiction: null, description: '', version: 1, created_at: now, updated_at: now }).returning('id');
    await insertRevision(trx, { entityType: 'actor', entityId: insertedId(row), action: 'create', version: 1, by, at: now, changes: { slug: ['', slug], name: ['', nameFromSlug(slug)], kind: ['', 'other'] } });
  }
  const slugs = <T extends { slug: string; id: number }>(rows: T[], map: Map<string, number>) => rows.forEach((r) => map.set(r.slug, Number(r.id)));
  slugs(await trx('vendors').select('id', 'slug'), vendorIds);
  slugs(await trx('actors').select('id', 'slug'), actorIds);

  const sourceIds = new Map<string, number>();
  const sourceFor = async (c: PlannedRow['data']['citations'][number]): Promise<number> => {
    if (c.source_id) return Number(c.source_id);
    const key = c.url ?? `title:${c.title}`;
    let id = sourceIds.get(key);
    if (id === undefined) {
      id = await insertSource(trx, by, { url: c.url, title: c.title, publisher: '', published_on: null, reliability: null }, now);
      sourceIds.set(key, id);
    }
    return id;
  };

  const summary: ImportSummary = { created: 0, updated: 0, unchanged: 0, newVendors: plan.newVendors.length, newActors: plan.newActors.length, newSources: plan.newSources.length };
  const eventIds = new Map<string, number>();
  const touched: PlannedRow[] = [];
  let done = 0;
  for (const row of plan.rows) {
    done++;
    if (row.action === 'unchanged') {
      summary.unchanged++;
      continue;
    }
    const d = row.data;
    const cols = eventColumnsOf(d, d.actor ? (actorIds.get(d.actor) as number) : null);
    // A new event keeps the file's updated_at (so an export of the import matches the file);
    // an updated one is stamped now, so later imports of older copies are refused.
    const updatedAt = row.existing ? now : (row.updatedAt ?? now);
    let eventId: number;
    let version: number;
    if (row.existing) {
      eventId = row.existing.id;
      version = row.existing.version + 1;
      if (!(await updateIfVersion(trx, 'events', eventId, row.existing.version, { ...cols, updated_at: updatedAt }))) {
        throw new AppError(409, 'version_conflict', `Line ${row.line}: event ${row.publicId} changed during the import; nothing was imported.`);
      }
      summary.updated++;
    } else {
      let publicId = row.publicId || `${cols.occurred_on}-${slugify(d.title, 80) || 'event'}`;
      if (!row.publicId) for (let n = 2; await publicIdTaken(trx, publicId); n++) publicId = `${cols.occurred_on}-${slugify(d.title, 80) || 'event'}-${n}`;
      row.publicId = publicId;
      eventId = await insertEventRow(trx, publicId, cols, now);
      if (updatedAt !== now) await trx('events').where({ id: eventId }).update({ updated_at: updatedAt });
      version = 1;
      summary.created++;
    }
    eventIds.set(row.publicId, eventId);
    // The file has no quotes: an update keeps those of the sources it still cites.
    const previousQuotes = new Map<number, { quote: string; locator: string }>(
      (await trx('citations').where({ event_id: eventId }).select('source_id', 'quote', 'locator')).map((c: { source_id: number; quote: string; locator: string }) => [Number(c.source_id), c]),
    );
    await trx('event_vendors').where({ event_id: eventId }).del();
    await trx('event_affected_actors').where({ event_id: eventId }).del();
    await trx('citations').where({ event_id: eventId }).del();
    await trx('event_vendors').insert([...new Set(d.vendors.map((s) => vendorIds.get(s) as number))].map((vendor_id) => ({ event_id: eventId, vendor_id })));
    const affected = [...new Set(d.affected.map((s) => actorIds.get(s) as number))];
    if (affected.length) await trx('event_affected_actors').insert(affected.map((actor_id) => ({ event_id: eventId, actor_id })));
    const seen = new Set<number>();
    const citations = [];
    for (const c of d.citations) {
      const sourceId = await sourceFor(c);
      if (seen.has(sourceId)) continue;
      seen.add(sourceId);
      const previous = previousQuotes.get(sourceId);
      citations.push({ event_id: eventId, source_id: sourceId, quote: previous?.quote ?? '', locator: previous?.locator ?? '', position: citations.length });
    }
    await trx('citations').insert(citations);
    await insertRevision(trx, {
      entityType: 'event',
      entityId: eventId,
      action: row.existing ? 'update' : 'create',
      version,
      by,
      at: now,
      changes: diffSnapshots(row.existing ? snapshotOf(row.existing.record) : null, snapshotOf(row.cells)),
    });
    touched.push(row);
    onProgress?.('writing', done, plan.rows.length);
  }

  // Links last, so a row may respond to an event further down the file.
  for (const row of touched) {
    const from = eventIds.get(row.publicId) as number;
    await trx('event_links').where({ from_event_id: from, relation: 'responds-to' }).del();
    const targets: number[] = [];
    for (const target of row.respondsTo) {
      const to = eventIds.get(target) ?? Number((await trx('events').where({ public_id: target }).first('id'))?.id);
      if (to && !targets.includes(to)) targets.push(to);
    }
    if (targets.length) await trx('event_links').insert(targets.map((to) => ({ from_event_id: from, to_event_id: to, relation: 'responds-to' })));
    await reindexEvent(trx, from);
  }
  return summary;
}
