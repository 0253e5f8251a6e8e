import type { Knex } from 'knex';
import type { Db } from '../db/knex';
import { EVENT_CSV_COLUMNS, type EventCsvColumn, eventCsvRecord } from '../events/csv';
import { type EventDetail, type EventRow, hydrateEvents } from '../events/repo';
import { EventInput } from '../events/schema';
import { fieldErrorsOf } from '../http/forms';
import { MULTI_VALUE_SEPARATOR } from '../lib/csv';
import { precisionOf } from '../lib/partialDate';
import { normaliseUrl, UrlError } from '../lib/url';
import type { CsvRow } from './parse';

type Conn = Db | Knex.Transaction;

export interface PlannedRow {
  line: number;
  action: 'create' | 'update' | 'unchanged';
  /** The id from the file; empty when the row is new and gets one made from its date and title. */
  publicId: string;
  title: string;
  data: EventInput;
  /** updated_at from the file, kept on import so an export of the import matches the file. */
  updatedAt: string | null;
  respondsTo: string[];
  existing?: { id: number; version: number; record: Record<EventCsvColumn, string> };
  cells: Record<EventCsvColumn, string>;
}

export interface InvalidRow {
  line: number;
  id: string;
  reasons: string[];
}

export interface ImportPlan {
  rows: PlannedRow[];
  invalid: InvalidRow[];
  newVendors: string[];
  newActors: string[];
  newSources: Array<{ url: string | null; title: string }>;
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$/;
const FORMULA_GUARD = /^'[=+\-@\t\r]/;

/** Undoes the export's formula guard (a leading apostrophe before = + - @ tab CR). */
export function unguard(cell: string): string {
  return FORMULA_GUARD.test(cell) ? cell.slice(1) : cell;
}

const splitList = (cell: string) => (cell.trim() === '' ? [] : cell.split(MULTI_VALUE_SEPARATOR).map((s) => s.trim()));
/** Keeps empty slots: source_titles and source_urls line up position for position. */
const splitSlots = (cell: string) => (cell === '' ? [] : cell.split(MULTI_VALUE_SEPARATOR).map((s) => s.trim()));

const LABELS: Record<string, string> = { occurred_on: 'occurred_on', effective_on: 'effective_on', vendors: 'vendors', citations: 'source_titles / source_urls', links: 'responds_to' };

function describeField(path: string): string {
  const [head, index, field] = path.split('.');
  if (head === 'citations' && index !== undefined) return `source ${Number(index) + 1}${field ? ` (${field === 'title' ? 'title' : field === 'url' ? 'URL' : field})` : ''}`;
  if (head === 'links' && index !== undefined) return `responds_to ${Number(index) + 1}`;
  if (head === 'affected' && index !== undefined) return 'affected';
  return LABELS[head] ?? head;
}

/**
 * The dry run: checks every row and works out what importing the file would create and
 * update, without writing anything. Vendors and actors are matched by slug, sources by
 * URL (or by title when they have none), events by id.
 */
export async function planImport(db: Conn, csvRows: CsvRow[], onProgress?: (done: number, total: number) => void): Promise<ImportPlan> {
  const plan: ImportPlan = { rows: [], invalid: [], newVendors: [], newActors: [], newSources: [] };
  const fileIds = new Set(csvRows.map((r) => r.cells.id.trim()).filter(Boolean));
  const seenIds = new Set<string>();

  // Everything the file refers to, looked up once.
  const all = (col: EventCsvColumn) => [...new Set(csvRows.flatMap((r) => splitList(unguard(r.cells[col]))))];
  const knownVendors = new Set<string>(await chunkedPluck(db, 'vendors', 'slug', all('vendors')));
  const knownActors = new Set<string>(await chunkedPluck(db, 'actors', 'slug', [...new Set([...all('actor'), ...all('affected')])]));
  const knownEventIds = new Set<string>(await chunkedPluck(db, 'events', 'public_id', all('responds_to'), (q) => q.whereNull('deleted_at')));
  const existingRows = new Map<string, EventRow>();
  for (const chunk of chunks([...fileIds], 500)) {
    for (const row of (await db('events').whereIn('public_id', chunk)) as EventRow[]) existingRows.set(row.public_id, row);
  }
  const newVendors = new Set<string>();
  const newActors = new Set<string>();
  const newSourceKeys = new Map<string, { url: string | null; title: string }>();
  const { byUrl: sourceIdByUrl, byTitle: sourceIdByTitle } = await recordedSources(db, csvRows);

  let done = 0;
  for (const batch of chunks(csvRows, 200)) {
    // Existing events of this batch, hydrated together to compare with the file.
    const existingDetails = new Map<string, EventDetail>();
    const batchExisting = batch.map((r) => existingRows.get(r.cells.id.trim())).filter((r): r is EventRow => !!r && !r.deleted_at);
    for (const d of await hydrateEvents(db, batchExisting)) existingDetails.set(d.publicId, d);

    for (const { line, cells: raw } of batch) {
      const cells = Object.fromEntries(EVENT_CSV_COLUMNS.map((c) => [c, unguard(raw[c] ?? '')])) as Record<EventCsvColumn, string>;
      const reasons: string[] = [];
      const id = cells.id.trim();
      if (id && !ID_PATTERN.test(id)) reasons.push('id: use letters, digits, dots, hyphens and underscores (at most 120)');
      if (id && seenIds.has(id)) reasons.push(`id: ${id} appears earlier in the file`);
      if (id) seenIds.add(id);

      const titles = splitSlots(cells.source_titles);
      const urls = splitSlots(cells.source_urls);
      if (titles.length && urls.length && titles.length !== urls.length) reasons.push('source_titles and source_urls: they must list the same number of sources');
      const citations = [];
      for (let i = 0; i < Math.max(titles.length, urls.length); i++) {
        const title = titles[i] ?? '';
        let url = urls[i] ?? '';
        let sourceId = '';
        if (url) {
          try {
            url = normaliseUrl(url);
            const known = sourceIdByUrl.get(url);
            if (known) sourceId = String(known);
          } catch (err) {
            if (!(err instanceof UrlError)) throw err;
            // Left as typed: the event schema reports it against the source.
          }
        } else if (title) {
          const known = sourceIdByTitle.get(title);
          if (known) sourceId = String(known);
        }
        citations.push({ source_id: sourceId, url, title, publisher: '', published_on: '', reliability: '', quote: '', locator: '' });
      }
      const respondsTo = splitList(cells.responds_to);
      const parsed = EventInput.safeParse({
        title: cells.title,
        summary: cells.summary,
        type: cells.type,
        jurisdiction: cells.jurisdiction,
        actor: cells.actor.trim(),
        affected: splitList(cells.affected),
        vendors: splitList(cells.vendors),
        occurred_on: cells.occurred_on,
        effective_on: cells.effective_on,
        links: respondsTo.map((event) => ({ relation: 'responds-to', event })),
        citations,
        confirm_duplicate: true,
      });
      if (!parsed.success) {
        for (const [path, message] of Object.entries(fieldErrorsOf(parsed.error))) reasons.push(`${describeField(path)}: ${message}`);
      }
      if (parsed.success && cells.date_precision && cells.date_precision !== precisionOf(parsed.data.occurred_on as string)) {
        reasons.push(`date_precision: "${cells.date_precision}" does not match occurred_on ${cells.occurred_on}`);
      }
      const updatedAt = cells.updated_at.trim() || null;
      if (updatedAt && (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(updatedAt) || Number.isNaN(Date.parse(updatedAt)))) {
        reasons.push('updated_at: use an ISO 8601 UTC time such as 2026-11-28T10:00:00.000Z, or leave it empty');
      }
      for (const target of respondsTo) {
        if (target === id) reasons.push('responds_to: an event cannot respond to itself');
        else if (!knownEventIds.has(target) && !fileIds.has(target)) reasons.push(`responds_to: no event has the id ${target}`);
      }

      const stored = id ? existingRows.get(id) : undefined;
      if (stored?.deleted_at) reasons.push(`id: event ${id} is in the trash; restore it before importing over it`);
      const detail = stored ? existingDetails.get(id) : undefined;
      const record = detail ? eventCsvRecord(detail) : undefined;
      const unchanged = !!record && EVENT_CSV_COLUMNS.every((c) => c === 'updated_at' || c === 'date_precision' || normalisedCell(c, record[c]) === normalisedCell(c, cells[c]));
      // Optimistic concurrency: a change made to the event after this copy was exported wins,
      // unless the row asks for nothing new.
      if (detail && updatedAt && !unchanged && Date.parse(detail.updatedAt) > Date.parse(updatedAt)) {
        reasons.push(`updated_at: event ${id} was changed at ${detail.updatedAt}, after this file's copy (${updatedAt}); export it again`);
      }

      if (reasons.length || !parsed.success) {
        plan.invalid.push({ line, id, reasons });
        continue;
      }
      const data = parsed.data;
      for (const slug of data.vendors) if (!knownVendors.has(slug)) newVendors.add(slug);
      for (const slug of [data.actor, ...data.affected].filter(Boolean)) if (!knownActors.has(slug)) newActors.add(slug);
      for (const c of data.citations) if (!c.source_id) newSourceKeys.set(c.url ?? `title:${c.title}`, { url: c.url, title: c.title });

      let action: PlannedRow['action'] = 'create';
      let existing: PlannedRow['existing'];
      if (detail && record) {
        action = unchanged ? 'unchanged' : 'update';
        existing = { id: detail.id, version: detail.version, record };
      }
      plan.rows.push({ line, action, publicId: id, title: data.title, data, updatedAt, respondsTo, existing, cells });
    }
    done += batch.length;
    onProgress?.(done, csvRows.length);
  }
  plan.newVendors = [...newVendors].sort();
  plan.newActors = [...newActors].sort();
  plan.newSources = [...newSourceKeys.values()];
  return plan;
}

/** Cells compared after the same clean-up the import applies (URLs normalised, lists trimmed). */
function normalisedCell(column: EventCsvColumn, value: string): string {
  if (column === 'source_urls') return splitSlots(value).map((u) => { try { return u ? normaliseUrl(u) : ''; } catch { return u; } }).join(MULTI_VALUE_SEPARATOR);
  if (column === 'vendors' || column === 'affected' || column === 'responds_to') return splitList(value).sort().join(MULTI_VALUE_SEPARATOR);
  return value.normalize('NFC').replace(/\r\n?/g, '\n').trim();
}

/**
 * The recorded sources the file names, looked up in a few queries: by normalised URL, and
 * by title for the citations without a URL (the oldest source with no URL and that title).
 */
async function recordedSources(db: Conn, csvRows: CsvRow[]): Promise<{ byUrl: Map<string, number>; byTitle: Map<string, number> }> {
  const urls = new Set<string>();
  const titles = new Set<string>();
  for (const { cells } of csvRows) {
    const rowTitles = splitSlots(unguard(cells.source_titles));
    const rowUrls = splitSlots(unguard(cells.source_urls));
    for (let i = 0; i < Math.max(rowTitles.length, rowUrls.length); i++) {
      if (rowUrls[i]) {
        try {
          urls.add(normaliseUrl(rowUrls[i]));
        } catch (err) {
          if (!(err instanceof UrlError)) throw err;
        }
      } else if (rowTitles[i]) titles.add(rowTitles[i]);
    }
  }
  const byUrl = new Map<string, number>();
  const byTitle = new Map<string, number>();
  for (const chunk of chunks([...urls], 500)) {
    for (const r of (await db('sources').whereIn('url', chunk).select('id', 'url')) as Array<{ id: number; url: string }>) byUrl.set(r.url, Number(r.id));
  }
  for (const chunk of chunks([...titles], 500)) {
    const rows = (await db('sources').whereNull('url').whereIn('title', chunk).orderBy('id').select('id', 'title')) as Array<{ id: number; title: string }>;
    for (const r of rows) if (!byTitle.has(r.title)) byTitle.set(r.title, Number(r.id));
  }
  return { byUrl, byTitle };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function chunkedPluck(db: Conn, table: string, column: string, values: string[], extra?: (q: Knex.QueryBuilder) => void): Promise<string[]> {
  const out: string[] = [];
  for (const chunk of chunks(values, 500)) {
    const q = db(table).whereIn(column, chunk);
    extra?.(q);
    out.push(...(await q.pluck(column)));
  }
  return out;
}
