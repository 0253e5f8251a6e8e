import type { Knex } from 'knex';
import { selectInChunks, whereInValues } from '../db/bulk';
import { type Db, isPostgres } from '../db/knex';
import type { EventRow } from '../events/repo';

/**
 * The import's own table queries: the lookups that check a batch of rows (a few `in (…)`
 * queries per batch, whatever its size) and the uploads kept between the dry run and the
 * confirmation. Writes go through events/writes.ts like every other writer's.
 */

/** Ids of the recorded vendors or actors among `slugs`, by slug. */
export async function idsBySlug(conn: Db, table: 'vendors' | 'actors', slugs: readonly string[]): Promise<Map<string, number>> {
  const rows = (await selectInChunks([...new Set(slugs)], (slice) =>
    whereInValues(conn(table), 'slug', slice).select('id', 'slug'),
  )) as Array<{
    id: number;
    slug: string;
  }>;
  return new Map(rows.map((r) => [r.slug, Number(r.id)]));
}

/** Which of `publicIds` name a live (not deleted) event. */
export async function livePublicIds(conn: Db, publicIds: readonly string[]): Promise<Set<string>> {
  return new Set(
    await selectInChunks([...new Set(publicIds)], (slice) =>
      whereInValues(conn('events'), 'public_id', slice).whereNull('deleted_at').pluck('public_id'),
    ),
  );
}

/**
 * The stored events with these public ids, deleted ones included. `lock`: on PostgreSQL the
 * rows stay locked until the transaction ends, so no form edit slips in before the write.
 */
export async function eventRowsByPublicId(conn: Db, publicIds: readonly string[], lock: boolean): Promise<EventRow[]> {
  return selectInChunks([...new Set(publicIds)], (slice) => {
    const q = whereInValues(conn('events'), 'public_id', slice);
    if (lock && isPostgres(conn)) q.forUpdate();
    return q as Promise<EventRow[]>;
  });
}

/** Event ids by public id, deleted events included. */
export async function eventIdsByPublicId(conn: Db, publicIds: readonly string[]): Promise<Map<string, number>> {
  const rows = (await selectInChunks([...new Set(publicIds)], (slice) =>
    whereInValues(conn('events'), 'public_id', slice).select('id', 'public_id'),
  )) as Array<{ id: number; public_id: string }>;
  return new Map(rows.map((r) => [r.public_id, Number(r.id)]));
}

/** Which of `publicIds` are taken by a stored event. */
export async function takenPublicIds(conn: Db, publicIds: readonly string[]): Promise<Set<string>> {
  return new Set(
    await selectInChunks([...new Set(publicIds)], (slice) => whereInValues(conn('events'), 'public_id', slice).pluck('public_id')),
  );
}

/** Ids of the recorded sources with these (normalised) URLs, by URL. */
export async function sourceIdsByUrl(conn: Db, urls: readonly string[]): Promise<Map<string, number>> {
  const rows = (await selectInChunks([...new Set(urls)], (slice) =>
    whereInValues(conn('sources'), 'url', slice).select('id', 'url'),
  )) as Array<{
    id: number;
    url: string;
  }>;
  return new Map(rows.map((r) => [r.url, Number(r.id)]));
}

/** For each title, the oldest recorded source with that title and no URL. */
export async function sourceIdsByTitle(conn: Db, titles: readonly string[]): Promise<Map<string, number>> {
  const rows = (await selectInChunks([...new Set(titles)], (slice) =>
    whereInValues(conn('sources').whereNull('url'), 'title', slice).orderBy('id').select('id', 'title'),
  )) as Array<{ id: number; title: string }>;
  const out = new Map<string, number>();
  for (const r of rows.sort((a, b) => Number(a.id) - Number(b.id))) if (!out.has(r.title)) out.set(r.title, Number(r.id));
  return out;
}

/**
 * SQLite: takes the write lock before reading anything, so the import either waits for
 * another writer (busy_timeout) or fails before doing any work, and never has to give up
 * half-way because the database changed under its first reads.
 */
export async function holdWriteLock(trx: Knex.Transaction): Promise<void> {
  if (isPostgres(trx)) return;
  // A delete that matches nothing still starts the write transaction.
  await trx.raw('delete from import_batches where 0 = 1');
}

// ---- uploads waiting for confirmation (import_batches) ----------------------------

export interface StoredUpload {
  filename: string;
  content: string;
  created_at: string;
  status: string;
  applied_at: string | null;
}

/** Keeps an upload for its confirmation, dropping the ones created before `expiredBefore`. */
export async function keepUpload(
  db: Db,
  upload: { token: string; userId: number; filename: string; content: string; now: string },
  expiredBefore: string,
): Promise<void> {
  await db('import_batches').where('created_at', '<', expiredBefore).del();
  await db('import_batches').insert({
    token: upload.token,
    user_id: upload.userId,
    filename: upload.filename,
    content: upload.content,
    created_at: upload.now,
    status: 'pending',
  });
}

export async function findUpload(db: Db, token: string, userId: number): Promise<StoredUpload | undefined> {
  return db('import_batches').where({ token, user_id: userId }).first('filename', 'content', 'created_at', 'status', 'applied_at');
}

/**
 * Marks a pending upload applied (and drops its content); false when it was not pending,
 * i.e. another confirmation claimed it first.
 */
export async function claimUpload(trx: Knex.Transaction, token: string, userId: number, appliedAt: string): Promise<boolean> {
  const claimed = await trx('import_batches')
    .where({ token, user_id: userId, status: 'pending' })
    .update({ status: 'applied', applied_at: appliedAt, content: '' });
  return Number(claimed) === 1;
}

export async function uploadAppliedAt(trx: Knex.Transaction, token: string): Promise<string | null> {
  const row = (await trx('import_batches').where({ token }).first('applied_at')) as { applied_at: string | null } | undefined;
  return row?.applied_at ?? null;
}

// ---- what an update is compared with -------------------------------------------

/** The lists of stored events that their export shows, read in a few plain queries. */
export interface StoredLists {
  vendorSlugs: Map<number, string[]>;
  affectedSlugs: Map<number, string[]>;
  actorSlugs: Map<number, string>;
  /** responds_to targets that are live, in the export's order (by date, then id). */
  respondsTo: Map<number, string[]>;
  /** Citations by position, with their source's title and URL. */
  citations: Map<number, Array<{ sourceId: number; title: string; url: string | null; quote: string; locator: string }>>;
}

const grouped = <T>(rows: ReadonlyArray<{ event_id: number | string }>, value: (r: never) => T): Map<number, T[]> => {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const key = Number(r.event_id);
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push(value(r as never));
  }
  return out;
};

export async function storedLists(conn: Db, events: readonly EventRow[]): Promise<StoredLists> {
  const ids = events.map((e) => Number(e.id));
  const actorIds = [...new Set(events.map((e) => e.actor_id).filter((id): id is number => id !== null))];
  const vendors = await selectInChunks(ids, (slice) =>
    whereInValues(conn('event_vendors as ev').join('vendors as v', 'v.id', 'ev.vendor_id'), 'ev.event_id', slice).select(
      'ev.event_id',
      'v.slug',
    ),
  );
  const affected = await selectInChunks(ids, (slice) =>
    whereInValues(conn('event_affected_actors as ea').join('actors as a', 'a.id', 'ea.actor_id'), 'ea.event_id', slice).select(
      'ea.event_id',
      'a.slug',
    ),
  );
  const actors = (await selectInChunks(actorIds, (slice) => whereInValues(conn('actors'), 'id', slice).select('id', 'slug'))) as Array<{
    id: number;
    slug: string;
  }>;
  const links = await selectInChunks(ids, (slice) =>
    whereInValues(conn('event_links as l').join('events as e', 'e.id', 'l.to_event_id'), 'l.from_event_id', slice)
      .where('l.relation', 'responds-to')
      .whereNull('e.deleted_at')
      .orderBy([{ column: 'l.from_event_id' }, { column: 'e.occurred_start' }, { column: 'e.id' }])
      .select({ event_id: 'l.from_event_id', public_id: 'e.public_id' }),
  );
  const citations = await selectInChunks(ids, (slice) =>
    whereInValues(conn('citations as c').join('sources as s', 's.id', 'c.source_id'), 'c.event_id', slice)
      .orderBy([{ column: 'c.event_id' }, { column: 'c.position' }, { column: 'c.id' }])
      .select('c.event_id', 'c.source_id', 'c.quote', 'c.locator', 's.title', 's.url'),
  );
  return {
    vendorSlugs: grouped(vendors, (r: { slug: string }) => r.slug),
    affectedSlugs: grouped(affected, (r: { slug: string }) => r.slug),
    actorSlugs: new Map(actors.map((a) => [Number(a.id), a.slug])),
    respondsTo: grouped(links, (r: { public_id: string }) => r.public_id),
    citations: grouped(citations, (r: { source_id: number; title: string; url: string | null; quote: string; locator: string }) => ({
      sourceId: Number(r.source_id),
      title: r.title,
      url: r.url,
      quote: r.quote,
      locator: r.locator,
    })),
  };
}
