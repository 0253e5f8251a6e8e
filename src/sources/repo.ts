import type { Knex } from 'knex';
import { selectInChunks } from '../db/bulk';
import type { Db } from '../db/knex';
import { insertVersionedRows, updateIfVersion } from '../db/versioned';
import { parsePartialDate } from '../lib/partialDate';

/**
 * A source as lists show it: every column but its stored text (up to 100,000 characters),
 * which only its own page, its form, its JSON and the search index read. An event list hydrates the
 * sources of every citation it shows, so reading the text there cost what the page never showed.
 */
export interface SourceSummary {
  id: number;
  url: string | null;
  title: string;
  publisher: string;
  author: string;
  publishedOn: string | null;
  archivedUrl: string | null;
  language: string | null;
  reliability: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Source extends SourceSummary {
  body: string | null;
}

export interface SourceRow {
  id: number;
  url: string | null;
  title: string;
  publisher: string;
  author: string;
  published_on: string | null;
  archived_url: string | null;
  language: string | null;
  reliability: string | null;
  body: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

/** The columns of `sources` a SourceSummary is read from (all but `body`). */
export const SOURCE_SUMMARY_COLUMNS = [
  'id',
  'url',
  'title',
  'publisher',
  'author',
  'published_on',
  'archived_url',
  'language',
  'reliability',
  'version',
  'created_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof SourceRow>;

export function toSourceSummary(row: Omit<SourceRow, 'body'>): SourceSummary {
  return {
    id: row.id,
    url: row.url,
    title: row.title,
    publisher: row.publisher,
    author: row.author,
    publishedOn: row.published_on,
    archivedUrl: row.archived_url,
    language: row.language,
    reliability: row.reliability,
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toSource(row: SourceRow): Source {
  return { ...toSourceSummary(row), body: row.body ?? null };
}

export async function findSourceById(db: Db, id: number): Promise<Source | null> {
  const row = await db<SourceRow>('sources').where({ id }).first();
  return row ? toSource(row) : null;
}

export async function findSourceByUrl(db: Db, url: string): Promise<Source | null> {
  const row = await db<SourceRow>('sources').where({ url }).first();
  return row ? toSource(row) : null;
}

/** Every source for pickers (id, title, publisher), by title. */
export async function listSourceChoices(db: Db): Promise<Array<{ id: number; title: string; publisher: string }>> {
  return db('sources')
    .select('id', 'title', 'publisher')
    .orderBy([{ column: 'title' }, { column: 'id' }]);
}

/** A page of sources in id order after `afterId`, for walking every source (without their text). */
export async function listSourcesAfter(db: Db, afterId: number, limit: number): Promise<SourceSummary[]> {
  return summariesOf(db('sources').where('id', '>', afterId).orderBy('id').limit(limit));
}

/** The sources with these ids, without their text (search results list them by title). */
export async function findSourceSummariesByIds(db: Db, ids: readonly number[]): Promise<SourceSummary[]> {
  if (ids.length === 0) return [];
  return summariesOf(db('sources').whereIn('id', ids));
}

/** The sources `query` selects, read as summaries (every column but `body`). */
async function summariesOf(query: Knex.QueryBuilder): Promise<SourceSummary[]> {
  const rows: Array<Omit<SourceRow, 'body'>> = await query.select(SOURCE_SUMMARY_COLUMNS);
  return rows.map(toSourceSummary);
}

export async function findSourcesByIds(db: Db, ids: readonly number[]): Promise<Source[]> {
  if (ids.length === 0) return [];
  return (await db<SourceRow>('sources').whereIn('id', ids)).map(toSource);
}

export interface NewSource {
  url: string | null;
  title: string;
  publisher: string;
  published_on: string | null;
  reliability: string | null;
  author?: string;
  archived_url?: string | null;
  language?: string | null;
  body?: string | null;
}

/**
 * The sources row for a new source's fields. Not `sourceFields` (fields.ts): a row keeps null
 * for "not recorded" where the fields have empty text, and adds the derived `published_start`.
 */
export function sourceColumnsOf(s: NewSource) {
  return {
    url: s.url,
    title: s.title,
    publisher: s.publisher,
    author: s.author ?? '',
    published_on: s.published_on,
    published_start: s.published_on ? parsePartialDate(s.published_on).start : null,
    archived_url: s.archived_url ?? null,
    language: s.language ?? null,
    reliability: s.reliability,
    body: s.body ? s.body : null,
  };
}

// ---- writes: the one path for the sources table ----------------------------------------

/**
 * Stores new sources, each as its version 1 stamped `now`; returns their ids in the order
 * given. With updateSourceRow, the only writes to the sources table: the source form, the
 * event form's new citations and the demo loader all come here (through
 * `createSources` in service.ts, which also records the history and the search entries).
 */
export async function insertSourceRows(trx: Knex.Transaction, sources: readonly NewSource[], now: string): Promise<number[]> {
  return insertVersionedRows(trx, 'sources', sources.map(sourceColumnsOf), now);
}

/** Saves a source's fields over `version`; false when someone saved first. */
export async function updateSourceRow(
  trx: Knex.Transaction,
  id: number,
  version: number,
  source: NewSource,
  now: string,
): Promise<boolean> {
  return updateIfVersion(trx, 'sources', id, version, { ...sourceColumnsOf(source), updated_at: now });
}

// ---- the demo loader's lookups -----------------------------------------------------------

/** The stored rows of the sources with these addresses. */
export async function findSourceRowsByUrls(db: Db, urls: readonly string[]): Promise<SourceRow[]> {
  return (await selectInChunks([...urls], (slice) => db<SourceRow>('sources').whereIn('url', slice).select('*'))) as SourceRow[];
}

/** The stored rows of the sources without an address that have one of these titles, oldest first. */
export async function findUrllessSourceRowsByTitles(db: Db, titles: readonly string[]): Promise<SourceRow[]> {
  if (titles.length === 0) return [];
  return (await db<SourceRow>('sources')
    .whereNull('url')
    .whereIn('title', [...titles])
    .orderBy('id')
    .select('*')) as SourceRow[];
}
