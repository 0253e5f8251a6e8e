import type { Db } from '../db/knex';
import { EVENT_CSV_COLUMNS, type EventCsvColumn, eventCsvRecord } from '../events/csv';
import type { EventColumns, EventDetail, EventRow } from '../events/repo';
import { EventInput, type EventInputCells, parseEventInputFast } from '../events/schema';
import { fieldErrorsOf } from '../lib/input';
import { MULTI_VALUE_SEPARATOR, unneutraliseCell } from '../lib/csv';
import { precisionOf } from '../lib/partialDate';
import { normaliseUrl, UrlError } from '../lib/url';
import type { CsvRow } from './parse';
import { eventRowsByPublicId, idsBySlug, livePublicIds, sourceIdsByTitle, sourceIdsByUrl, type StoredLists, storedLists } from './repo';

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
  existing?: {
    id: number;
    version: number;
    /** The stored columns, so the write sets only those that change. */
    columns: EventColumns;
    record: Record<EventCsvColumn, string>;
    /** The quotes and locators it holds, by source id: the file has none, so an update keeps them. */
    notes: Map<number, { quote: string; locator: string }>;
    /** The sources it cites, in order. */
    sourceIds: number[];
    /** Which of its lists the row leaves as they are. */
    same: { vendors: boolean; affected: boolean };
  };
  cells: Record<EventCsvColumn, string>;
}

/** A checked batch: its valid rows, and the recorded vendors and actors it names (the writer's starting point). */
export interface PlannedBatch {
  rows: PlannedRow[];
  vendorIds: Map<string, number>;
  actorIds: Map<string, number>;
}

/** What the preview page shows of a row: enough to list it, not the whole record. */
export interface PreviewRow {
  line: number;
  action: PlannedRow['action'];
  publicId: string;
  title: string;
  data: { occurred_on: string; type: string };
  /** For an update: the changed cells, as in the file and as stored. */
  cells?: Partial<Record<EventCsvColumn, string>>;
  existing?: { record: Partial<Record<EventCsvColumn, string>> };
}

export interface InvalidRow {
  line: number;
  id: string;
  reasons: string[];
}

export interface ImportPlan {
  /** Every valid row, for the preview; empty when the caller asked for counts only. */
  rows: PreviewRow[];
  counts: { create: number; update: number; unchanged: number; invalid: number };
  /** Invalid rows in line order (the first few thousand when only counts are kept). */
  invalid: InvalidRow[];
  newVendors: string[];
  newActors: string[];
  /** The new sources (every one for the preview; the first ten otherwise). */
  newSources: Array<{ url: string | null; title: string }>;
  newSourceCount: number;
}

/**
 * What the planner remembers from one batch of a file to the next. It grows with the
 * number of distinct ids and sources in the file, never with whole rows, unless the
 * preview asked to keep them.
 */
export interface PlanState {
  keepRows: boolean;
  seenIds: Set<string>;
  counts: ImportPlan['counts'];
  rows: PreviewRow[];
  invalid: InvalidRow[];
  newVendors: Set<string>;
  newActors: Set<string>;
  newSourceKeys: Set<string>;
  newSources: Array<{ url: string | null; title: string }>;
  /** responds_to targets not known when their row was checked: maybe further down the file. */
  pendingTargets: Array<{ line: number; id: string; target: string; action: PlannedRow['action'] | 'invalid' }>;
}

const INVALID_KEPT_WITHOUT_ROWS = 5_000;
const SOURCES_SHOWN_WITHOUT_ROWS = 10;

export function newPlanState(keepRows: boolean): PlanState {
  return {
    keepRows,
    seenIds: new Set(),
    counts: { create: 0, update: 0, unchanged: 0, invalid: 0 },
    rows: [],
    invalid: [],
    newVendors: new Set(),
    newActors: new Set(),
    newSourceKeys: new Set(),
    newSources: [],
    pendingTargets: [],
  };
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$/;
const UPDATED_AT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/** Undoes the export's formula guard: exactly the apostrophe `neutraliseCell` added, no more. */
export function unguard(cell: string): string {
  return unneutraliseCell(cell);
}

export const splitList = (cell: string) => (cell.trim() === '' ? [] : cell.split(MULTI_VALUE_SEPARATOR).map((s) => s.trim()));
/** Keeps empty slots: source_titles and source_urls line up position for position. */
const splitSlots = (cell: string) => (cell === '' ? [] : cell.split(MULTI_VALUE_SEPARATOR).map((s) => s.trim()));

const LABELS: Record<string, string> = {
  occurred_on: 'occurred_on',
  effective_on: 'effective_on',
  vendors: 'vendors',
  citations: 'source_titles / source_urls',
  links: 'responds_to',
};

function describeField(path: string): string {
  const [head, index, field] = path.split('.');
  if (head === 'citations' && index !== undefined)
    return `source ${Number(index) + 1}${field ? ` (${field === 'title' ? 'title' : field === 'url' ? 'URL' : field})` : ''}`;
  if (head === 'links' && index !== undefined) return `responds_to ${Number(index) + 1}`;
  if (head === 'affected' && index !== undefined) return 'affected';
  return LABELS[head] ?? head;
}

/** The key a new source is known by within a file: its URL, or its title when it has none. */
export const sourceKey = (c: { url: string | null; title: string }) => c.url ?? `title:${c.title}`;

/** Everything a batch refers to, looked up in a few queries. */
interface BatchLookups {
  /** Ids of the vendors and actors the batch names that are recorded, by slug. */
  vendorIds: Map<string, number>;
  actorIds: Map<string, number>;
  liveEventIds: Set<string>;
  stored: Map<string, EventRow>;
  /** What the live stored events hold, as their export shows it. */
  records: Map<string, StoredRecord>;
  sourceIdByUrl: Map<string, number>;
  sourceIdByTitle: Map<string, number>;
}

async function lookUp(conn: Db, rows: readonly CleanRow[], lockRows: boolean): Promise<BatchLookups> {
  const distinct = (col: EventCsvColumn) => [...new Set(rows.flatMap((r) => splitList(r.cells[col])))];
  const vendorIds = await idsBySlug(conn, 'vendors', distinct('vendors'));
  const actorIds = await idsBySlug(conn, 'actors', [...new Set([...distinct('actor'), ...distinct('affected')])]);
  const liveEventIds = await livePublicIds(conn, distinct('responds_to'));
  const storedRows = await eventRowsByPublicId(conn, [...new Set(rows.map((r) => r.cells.id.trim()).filter(Boolean))], lockRows);
  const stored = new Map(storedRows.map((r) => [r.public_id, r]));
  const live = storedRows.filter((r) => !r.deleted_at);
  const lists = await storedLists(conn, live);
  const records = new Map(live.map((r) => [r.public_id, storedRecord(r, lists)]));
  return { vendorIds, actorIds, liveEventIds, stored, records, ...(await recordedSources(conn, rows)) };
}

/** A stored event as the import compares it: its export's cells, and the citations' quotes it keeps. */
interface StoredRecord {
  id: number;
  version: number;
  columns: EventColumns;
  updatedAt: string;
  record: Record<EventCsvColumn, string>;
  citations: Array<{ sourceId: number; quote: string; locator: string }>;
}

function storedRecord(row: EventRow, lists: StoredLists): StoredRecord {
  const id = Number(row.id);
  const citations = lists.citations.get(id) ?? [];
  const slugs = (list: string[] | undefined) => (list ?? []).map((slug) => ({ slug }));
  // The export's own mapping (eventCsvRecord) reads only these fields of an event.
  const detail = {
    publicId: row.public_id,
    occurredOn: row.occurred_on,
    effectiveOn: row.effective_on,
    vendors: slugs(lists.vendorSlugs.get(id)),
    jurisdiction: row.jurisdiction,
    actor: row.actor_id !== null ? { slug: lists.actorSlugs.get(Number(row.actor_id)) } : null,
    affected: slugs(lists.affectedSlugs.get(id)),
    type: row.type,
    title: row.title,
    summary: row.summary,
    linksOut: (lists.respondsTo.get(id) ?? []).map((publicId) => ({ relation: 'responds-to', event: { publicId } })),
    citations: citations.map((c) => ({ source: { title: c.title, url: c.url } })),
    updatedAt: row.updated_at,
  } as unknown as EventDetail;
  // The stored row is its columns (EventRow extends EventColumns): what the write compares with.
  return { id, version: Number(row.version), columns: row, updatedAt: row.updated_at, record: eventCsvRecord(detail), citations };
}

/**
 * The recorded sources a batch names, looked up in a few queries: by normalised URL, and
 * by title for the citations without a URL (the oldest source with no URL and that title).
 */
async function recordedSources(
  conn: Db,
  rows: readonly CleanRow[],
): Promise<{ sourceIdByUrl: Map<string, number>; sourceIdByTitle: Map<string, number> }> {
  const urls = new Set<string>();
  const titles = new Set<string>();
  for (const { cells } of rows) {
    const rowTitles = splitSlots(cells.source_titles);
    const rowUrls = splitSlots(cells.source_urls);
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
  return { sourceIdByUrl: await sourceIdsByUrl(conn, [...urls]), sourceIdByTitle: await sourceIdsByTitle(conn, [...titles]) };
}

/** A row of the file with the export's formula guard undone. */
interface CleanRow {
  line: number;
  cells: Record<EventCsvColumn, string>;
}

function cleanRow({ line, cells: raw }: CsvRow): CleanRow {
  const cells = {} as Record<EventCsvColumn, string>;
  for (const c of EVENT_CSV_COLUMNS) cells[c] = unguard(raw[c] ?? '');
  return { line, cells };
}

/**
 * Checks one batch of rows and works out what importing them would create and update,
 * without writing anything. Vendors and actors are matched by slug, sources by URL (or by
 * title when they have none), events by id. Returns the valid rows; the rest go to
 * `state.invalid`. `lockRows` is set when the plan is applied in the same transaction.
 */
export async function planBatch(
  conn: Db,
  state: PlanState,
  csvRows: readonly CsvRow[],
  options: { lockRows?: boolean } = {},
): Promise<PlannedBatch> {
  const rows = csvRows.map(cleanRow);
  const known = await lookUp(conn, rows, options.lockRows ?? false);
  const batchIds = new Set(rows.map((r) => r.cells.id.trim()).filter(Boolean));
  const planned: PlannedRow[] = [];
  for (const row of rows) {
    const p = planRow(state, known, batchIds, row);
    if (p) planned.push(p);
  }
  return { rows: planned, vendorIds: known.vendorIds, actorIds: known.actorIds };
}

/** Plans one row: its action and data, or null (and an entry in `state.invalid`) when it cannot be imported. */
function planRow(state: PlanState, known: BatchLookups, batchIds: ReadonlySet<string>, { line, cells }: CleanRow): PlannedRow | null {
  const id = cells.id.trim();
  const reasons = idReasons(state, id);
  const respondsTo = splitList(cells.responds_to);
  const parsed = parseRow(cells, citationsOf(cells, known, reasons), respondsTo, reasons);
  const updatedAt = updatedAtOf(cells, reasons);
  const pending: string[] = [];
  for (const target of respondsTo) {
    if (target === id) reasons.push('responds_to: an event cannot respond to itself');
    else if (!known.liveEventIds.has(target) && !state.seenIds.has(target) && !batchIds.has(target)) pending.push(target);
  }
  const stored = compareWithStored(known, id, cells, updatedAt, reasons);

  if (reasons.length || !parsed) {
    addInvalid(state, { line, id, reasons });
    // A target further down the file is fine; one nowhere in it is added to these reasons at the end.
    for (const target of pending) state.pendingTargets.push({ line, id, target, action: 'invalid' });
    return null;
  }
  noteNewRecords(state, known, parsed);
  const action: PlannedRow['action'] = stored.existing ? (stored.unchanged ? 'unchanged' : 'update') : 'create';
  for (const target of pending) state.pendingTargets.push({ line, id, target, action });
  state.counts[action]++;
  const row: PlannedRow = {
    line,
    action,
    publicId: id,
    title: parsed.title,
    data: parsed,
    updatedAt,
    respondsTo,
    existing: stored.existing,
    cells,
  };
  if (state.keepRows) state.rows.push(previewOf(row));
  return row;
}

/** What is wrong with a row's id: its form, or its being used by an earlier row. Notes it as seen. */
function idReasons(state: PlanState, id: string): string[] {
  const reasons: string[] = [];
  if (id && !ID_PATTERN.test(id)) reasons.push('id: use letters, digits, dots, hyphens and underscores (at most 120)');
  if (id && state.seenIds.has(id)) reasons.push(`id: ${id} appears earlier in the file`);
  if (id) state.seenIds.add(id);
  return reasons;
}

/** The row's citations as form input, each matched to a recorded source when there is one. */
function citationsOf(cells: Record<EventCsvColumn, string>, known: BatchLookups, reasons: string[]): EventInputCells['citations'] {
  const titles = splitSlots(cells.source_titles);
  const urls = splitSlots(cells.source_urls);
  if (titles.length && urls.length && titles.length !== urls.length)
    reasons.push('source_titles and source_urls: they must list the same number of sources');
  const citations = [];
  for (let i = 0; i < Math.max(titles.length, urls.length); i++) {
    const title = titles[i] ?? '';
    let url = urls[i] ?? '';
    let sourceId = '';
    if (url) {
      try {
        url = normaliseUrl(url);
        const found = known.sourceIdByUrl.get(url);
        if (found) sourceId = String(found);
      } catch (err) {
        if (!(err instanceof UrlError)) throw err;
        // Left as typed: the event schema reports it against the source.
      }
    } else if (title) {
      const found = known.sourceIdByTitle.get(title);
      if (found) sourceId = String(found);
    }
    citations.push({ source_id: sourceId, url, title, publisher: '', published_on: '', reliability: '', quote: '', locator: '' });
  }
  return citations;
}

/** The row checked as the event form checks its input; null when invalid (the reasons are added). */
function parseRow(
  cells: Record<EventCsvColumn, string>,
  citations: EventInputCells['citations'],
  respondsTo: string[],
  reasons: string[],
): EventInput | null {
  const input: EventInputCells = {
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
  };
  // Most rows are plain and valid: checked without zod; any other gets zod's answer and messages.
  const fast = parseEventInputFast(input);
  const parsed = fast ? ({ success: true, data: fast } as const) : EventInput.safeParse(input);
  if (!parsed.success) {
    for (const [path, message] of Object.entries(fieldErrorsOf(parsed.error))) reasons.push(`${describeField(path)}: ${message}`);
    return null;
  }
  if (cells.date_precision && cells.date_precision !== precisionOf(parsed.data.occurred_on as string)) {
    reasons.push(`date_precision: "${cells.date_precision}" does not match occurred_on ${cells.occurred_on}`);
  }
  return parsed.data;
}

function updatedAtOf(cells: Record<EventCsvColumn, string>, reasons: string[]): string | null {
  const updatedAt = cells.updated_at.trim() || null;
  if (updatedAt && (!UPDATED_AT_PATTERN.test(updatedAt) || Number.isNaN(Date.parse(updatedAt)))) {
    reasons.push('updated_at: use an ISO 8601 UTC time such as 2026-11-28T10:00:00.000Z, or leave it empty');
  }
  return updatedAt;
}

/**
 * The stored event the row names, if any, compared with the row: whether it asks for
 * nothing new, and why it cannot be imported over (in the trash; changed after the file's copy).
 */
function compareWithStored(
  known: BatchLookups,
  id: string,
  cells: Record<EventCsvColumn, string>,
  updatedAt: string | null,
  reasons: string[],
): { existing?: PlannedRow['existing']; unchanged: boolean } {
  const stored = id ? known.stored.get(id) : undefined;
  if (stored?.deleted_at) reasons.push(`id: event ${id} is in the trash; restore it before importing over it`);
  const detail = stored ? known.records.get(id) : undefined;
  if (!detail) return { unchanged: false };
  const record = detail.record;
  const unchanged = EVENT_CSV_COLUMNS.every(
    (c) => c === 'updated_at' || c === 'date_precision' || normalisedCell(c, record[c]) === normalisedCell(c, cells[c]),
  );
  // Optimistic concurrency: a change made to the event after this copy was exported wins,
  // unless the row asks for nothing new.
  if (updatedAt && !unchanged && Date.parse(detail.updatedAt) > Date.parse(updatedAt)) {
    reasons.push(`updated_at: event ${id} was changed at ${detail.updatedAt}, after this file's copy (${updatedAt}); export it again`);
  }
  const notes = new Map<number, { quote: string; locator: string }>();
  for (const c of detail.citations) if (c.quote || c.locator) notes.set(c.sourceId, { quote: c.quote, locator: c.locator });
  const sameCells = (c: EventCsvColumn) => normalisedCell(c, record[c]) === normalisedCell(c, cells[c]);
  return {
    existing: {
      id: detail.id,
      version: detail.version,
      columns: detail.columns,
      record,
      notes,
      sourceIds: detail.citations.map((c) => c.sourceId),
      same: { vendors: sameCells('vendors'), affected: sameCells('affected') },
    },
    unchanged,
  };
}

/** Notes the vendors, actors and sources a valid row names that are not recorded yet. */
function noteNewRecords(state: PlanState, known: BatchLookups, data: EventInput): void {
  for (const slug of data.vendors) if (!known.vendorIds.has(slug)) state.newVendors.add(slug);
  for (const slug of [data.actor, ...data.affected]) if (slug && !known.actorIds.has(slug)) state.newActors.add(slug);
  for (const c of data.citations) if (!c.source_id) noteNewSource(state, c);
}

const noSuchEvent = (target: string) => `responds_to: no event has the id ${target}`;

function addInvalid(state: PlanState, row: InvalidRow): void {
  state.counts.invalid++;
  if (state.keepRows || state.invalid.length < INVALID_KEPT_WITHOUT_ROWS) state.invalid.push(row);
}

function noteNewSource(state: PlanState, c: { url: string | null; title: string }): void {
  const key = sourceKey(c);
  if (state.newSourceKeys.has(key)) return;
  state.newSourceKeys.add(key);
  if (state.keepRows || state.newSources.length < SOURCES_SHOWN_WITHOUT_ROWS) state.newSources.push({ url: c.url, title: c.title });
}

function previewOf(row: Pick<PlannedRow, 'line' | 'action' | 'publicId' | 'title' | 'data' | 'cells' | 'existing'>): PreviewRow {
  const preview: PreviewRow = {
    line: row.line,
    action: row.action,
    publicId: row.publicId,
    title: row.title,
    data: { occurred_on: row.data.occurred_on as string, type: row.data.type },
  };
  if (row.action === 'update' && row.existing) {
    const changed = EVENT_CSV_COLUMNS.filter(
      (c) => c !== 'updated_at' && c !== 'date_precision' && row.existing?.record[c] !== row.cells[c],
    );
    preview.cells = Object.fromEntries(changed.map((c) => [c, row.cells[c]]));
    preview.existing = { record: Object.fromEntries(changed.map((c) => [c, row.existing?.record[c]])) };
  }
  return preview;
}

/**
 * Settles what only the whole file can tell: a responds_to naming an id that no row of the
 * file has. Returns the lines that turned out invalid.
 */
export function finishPlan(state: PlanState): Set<number> {
  const failed = new Map<number, { id: string; reasons: string[]; action: PlannedRow['action'] | 'invalid' }>();
  for (const p of state.pendingTargets) {
    if (state.seenIds.has(p.target)) continue;
    const row = failed.get(p.line) ?? { id: p.id, reasons: [], action: p.action };
    row.reasons.push(noSuchEvent(p.target));
    failed.set(p.line, row);
  }
  state.pendingTargets = [];
  for (const [line, row] of failed) {
    if (row.action === 'invalid') {
      state.invalid.find((r) => r.line === line)?.reasons.push(...row.reasons);
      continue;
    }
    // Planned as valid: it no longer counts as created, updated or unchanged.
    state.counts[row.action]--;
    addInvalid(state, { line, id: row.id, reasons: row.reasons });
  }
  if (state.keepRows && failed.size) state.rows = state.rows.filter((r) => !failed.has(r.line));
  state.invalid.sort((a, b) => a.line - b.line);
  return new Set(failed.keys());
}

/** The plan so far, for the preview and the command line. */
export function planOf(state: PlanState): ImportPlan {
  return {
    rows: state.rows,
    counts: { ...state.counts },
    invalid: state.invalid,
    newVendors: [...state.newVendors].sort(),
    newActors: [...state.newActors].sort(),
    newSources: state.newSources,
    newSourceCount: state.newSourceKeys.size,
  };
}

/** Cells compared after the same clean-up the import applies (URLs normalised, lists trimmed). */
function normalisedCell(column: EventCsvColumn, value: string): string {
  if (column === 'source_urls')
    return splitSlots(value)
      .map((u) => {
        try {
          return u ? normaliseUrl(u) : '';
        } catch {
          return u;
        }
      })
      .join(MULTI_VALUE_SEPARATOR);
  if (column === 'vendors' || column === 'affected' || column === 'responds_to') return splitList(value).sort().join(MULTI_VALUE_SEPARATOR);
  return value.normalize('NFC').replace(/\r\n?/g, '\n').trim();
}
