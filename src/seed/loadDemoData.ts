import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Db } from '../db/knex';
import { insertedId } from '../db/versioned';
import { parsePartialDate } from '../lib/partialDate';
import { nowIso } from '../lib/time';
import { PROJECT_ROOT } from '../paths';
import { reindexEvent, reindexSource } from '../search/indexer';
import { aliasesColumn } from '../vendors/repo';
import { demoActors, demoEvents, demoSources, demoVendors } from '../../seeds/kaspersky-lab';

export interface DemoLoadResult {
  vendors: number;
  actors: number;
  sources: number;
  events: number;
}

function seedFile(name: string): string {
  return path.join(PROJECT_ROOT, 'seeds', name);
}

/** Inserts the row unless one with the same key exists; returns the row's id either way. */
async function ensure(trx: Knex.Transaction, table: string, key: Record<string, unknown>, row: Record<string, unknown>): Promise<{ id: number; created: boolean }> {
  const existing = await trx(table).where(key).first('id');
  if (existing) return { id: Number(existing.id), created: false };
  const [inserted] = await trx(table).insert(row).returning('id');
  return { id: insertedId(inserted), created: true };
}

/**
 * Loads the sourced Kaspersky Lab timeline. Idempotent: rows are matched by slug,
 * URL (or title, for a source without one) and public id, so loading twice adds nothing.
 */
export async function loadDemoData(db: Db): Promise<DemoLoadResult> {
  const result: DemoLoadResult = { vendors: 0, actors: 0, sources: 0, events: 0 };
  const now = nowIso();
  const stamps = { version: 1, created_at: now, updated_at: now };

  await db.transaction(async (trx) => {
    const vendorIds = new Map<string, number>();
    for (const v of demoVendors) {
      const { id, created } = await ensure(trx, 'vendors', { slug: v.slug }, {
        slug: v.slug,
        name: v.name,
        aliases: aliasesColumn(v.aliases),
        country: v.country,
        website: v.website,
        description: v.description,
        ...stamps,
      });
      vendorIds.set(v.slug, id);
      if (created) result.vendors++;
    }

    const actorIds = new Map<string, number>();
    for (const a of demoActors) {
      const { id, created } = await ensure(trx, 'actors', { slug: a.slug }, { ...a, ...stamps });
      actorIds.set(a.slug, id);
      if (created) result.actors++;
    }

    const sourceIds = new Map<string, number>();
    for (const s of demoSources) {
      const key = s.url ? { url: s.url } : { title: s.title, url: null };
      const { id, created } = await ensure(trx, 'sources', key, {
        url: s.url,
        title: s.title,
        publisher: s.publisher,
        author: '',
        published_on: s.publishedOn,
        published_start: s.publishedOn ? parsePartialDate(s.publishedOn).start : null,
        archived_url: null,
        language: s.language,
        reliability: null,
        body: s.bodyFile ? fs.readFileSync(seedFile(s.bodyFile), 'utf8') : null,
        ...stamps,
      });
      sourceIds.set(s.key, id);
      if (created) result.sources++;
    }

    const eventIds = new Map<string, number>();
    const pick = (map: Map<string, number>, key: string, what: string): number => {
      const id = map.get(key);
      if (id === undefined) throw new Error(`Demo data: unknown ${what} "${key}"`);
      return id;
    };
    for (const e of demoEvents) {
      const { id, created } = await ensure(trx, 'events', { public_id: e.publicId }, {
        public_id: e.publicId,
        title: e.title,
        summary: e.summary,
        type: e.type,
        jurisdiction: e.jurisdiction,
        actor_id: pick(actorIds, e.actor, 'actor'),
        occurred_on: e.occurredOn,
        occurred_start: parsePartialDate(e.occurredOn).start,
        effective_on: e.effectiveOn ?? null,
        effective_start: e.effectiveOn ? parsePartialDate(e.effectiveOn).start : null,
        ...stamps,
      });
      eventIds.set(e.publicId, id);
      if (!created) continue;
      result.events++;
      await trx('event_vendors').insert(e.vendors.map((slug) => ({ event_id: id, vendor_id: pick(vendorIds, slug, 'vendor') })));
      if (e.affected?.length) {
        await trx('event_affected_actors').insert(e.affected.map((slug) => ({ event_id: id, actor_id: pick(actorIds, slug, 'actor') })));
      }
      await trx('citations').insert(
        e.citations.map((c, position) => ({ event_id: id, source_id: pick(sourceIds, c.source, 'source'), quote: c.quote ?? '', locator: '', position })),
      );
      if (e.respondsTo) {
        await trx('event_links').insert({ from_event_id: id, to_event_id: pick(eventIds, e.respondsTo, 'event'), relation: 'responds-to' });
      }
      await reindexEvent(trx, id);
    }
    for (const id of sourceIds.values()) await reindexSource(trx, id);
  });
  return result;
}

/** True when the database has no events at all, deleted ones included: a fresh install. */
export async function isEmptyDatabase(db: Db): Promise<boolean> {
  const row = await db('events').count({ n: '*' }).first();
  return Number(row?.n ?? 0) === 0;
}
