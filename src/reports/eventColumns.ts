import { EVENT_CSV_COLUMNS, type EventCsvColumn, eventCsvRecord } from '../events/csv';
import type { CitationView, EventDetail } from '../events/repo';
import { eventTypeLabel } from '../events/taxonomy';
import { BadParameter } from '../lib/errors';
import { jurisdictionName } from '../lib/jurisdiction';
import { formatPartialDate } from '../lib/partialDate';
import { sourceFields } from '../sources/fields';

/** Extra columns of the events report when it has one row per event and source. */
export const CITATION_COLUMNS = [
  'source_id',
  'source_title',
  'source_url',
  'source_publisher',
  'source_published_on',
  'quote',
  'locator',
] as const;
type CitationColumn = (typeof CITATION_COLUMNS)[number];

export type RowsMode = 'events' | 'citations';

export function citationCells(c: CitationView): Record<CitationColumn, string> {
  // A citation's source is read without its text, which these columns do not show.
  const source = sourceFields({ ...c.source, body: null });
  return {
    source_id: String(c.source.id),
    source_title: source.title,
    source_url: source.url,
    source_publisher: source.publisher,
    source_published_on: source.published_on,
    quote: c.quote,
    locator: c.locator,
  };
}

/** Checks `rows` and `columns`; an unknown value is a 400 that names it. */
export function parseEventReportShape(query: Record<string, unknown>): { rows: RowsMode; columns: string[] } {
  const rowsParam = query.rows ?? 'events';
  if (rowsParam !== 'events' && rowsParam !== 'citations')
    throw new BadParameter('rows', 'use events (one row per event) or citations (one row per event and source)');
  const rows = rowsParam as RowsMode;
  const available: readonly string[] = rows === 'citations' ? [...EVENT_CSV_COLUMNS, ...CITATION_COLUMNS] : EVENT_CSV_COLUMNS;
  // The page's checkboxes send one `columns` per box; a link sends them joined by commas.
  const columnsParam =
    Array.isArray(query.columns) && query.columns.every((c) => typeof c === 'string') ? query.columns.join(',') : query.columns;
  if (columnsParam === undefined || columnsParam === '') return { rows, columns: [...available] };
  if (typeof columnsParam !== 'string') throw new BadParameter('columns', 'give the columns once, separated by commas');
  const columns = columnsParam
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  for (const c of columns) {
    if (!available.includes(c)) {
      const hint = (CITATION_COLUMNS as readonly string[]).includes(c) ? ' (it needs rows=citations)' : '';
      throw new BadParameter('columns', `unknown column "${c}"${hint}; available: ${available.join(', ')}`);
    }
  }
  if (new Set(columns).size !== columns.length) throw new BadParameter('columns', 'a column is named twice');
  return { rows, columns };
}

/** The report's records for one event: one, or one per cited source. */
export function eventReportRecords(event: EventDetail, rows: RowsMode): Array<Record<string, string>> {
  const base: Record<EventCsvColumn, string> = eventCsvRecord(event);
  if (rows === 'events') return [base];
  return event.citations.map((c) => ({ ...base, ...citationCells(c) }));
}

/** What each column is called on the report's page (the CSV keeps the column names). */
export const COLUMN_LABELS: Record<EventCsvColumn | CitationColumn, string> = {
  id: 'Event id',
  occurred_on: 'Date',
  date_precision: 'Precision of the date',
  effective_on: 'In force from',
  vendors: 'Vendors',
  jurisdiction: 'Jurisdiction',
  actor: 'Acting body',
  affected: 'Affected bodies',
  type: 'Type',
  title: 'Title',
  summary: 'Summary',
  responds_to: 'Responds to',
  source_titles: 'Sources',
  source_urls: 'Source addresses',
  updated_at: 'Last changed',
  source_id: 'Source number',
  source_title: 'Source',
  source_url: 'Source address',
  source_publisher: 'Publisher',
  source_published_on: 'Published',
  quote: 'Quote',
  locator: 'Where in the source',
};

const LIST = '; ';

/**
 * The report's records as a reader sees them on the page: names instead of slugs, type and
 * jurisdiction names instead of codes, dates as words. `id` stays the event's id, for its link.
 */
export function eventReportPreviewRecords(event: EventDetail, rows: RowsMode): Array<Record<string, string>> {
  const base: Record<EventCsvColumn, string> = {
    ...eventCsvRecord(event),
    occurred_on: formatPartialDate(event.occurredOn),
    effective_on: formatPartialDate(event.effectiveOn),
    vendors: event.vendors.map((v) => v.name).join(LIST),
    jurisdiction: jurisdictionName(event.jurisdiction),
    actor: event.actor?.name ?? '',
    affected: event.affected.map((a) => a.name).join(LIST),
    type: eventTypeLabel(event.type),
    responds_to: event.linksOut
      .filter((l) => l.relation === 'responds-to')
      .map((l) => l.event.title)
      .join(LIST),
    source_titles: event.citations.map((c) => c.source.title).join(LIST),
    source_urls: event.citations
      .map((c) => c.source.url ?? '')
      .filter(Boolean)
      .join(LIST),
  };
  if (rows === 'events') return [base];
  return event.citations.map((c) => ({ ...base, ...citationCells(c), source_published_on: formatPartialDate(c.source.publishedOn) }));
}
