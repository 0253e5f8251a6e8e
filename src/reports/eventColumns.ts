import { EVENT_CSV_COLUMNS, type EventCsvColumn, eventCsvRecord } from '../events/csv';
import type { CitationView, EventDetail } from '../events/repo';
import { BadParameter } from '../http/errors';

/** Extra columns of the events report when it has one row per event and source. */
export const CITATION_COLUMNS = ['source_id', 'source_title', 'source_url', 'source_publisher', 'source_published_on', 'quote', 'locator'] as const;
type CitationColumn = (typeof CITATION_COLUMNS)[number];

export type RowsMode = 'events' | 'citations';

export function citationCells(c: CitationView): Record<CitationColumn, string> {
  return {
    source_id: String(c.source.id),
    source_title: c.source.title,
    source_url: c.source.url ?? '',
    source_publisher: c.source.publisher,
    source_published_on: c.source.publishedOn ?? '',
    quote: c.quote,
    locator: c.locator,
  };
}

/** Checks `rows` and `columns`; an unknown value is a 400 that names it. */
export function parseEventReportShape(query: Record<string, unknown>): { rows: RowsMode; columns: string[] } {
  const rowsParam = query.rows ?? 'events';
  if (rowsParam !== 'events' && rowsParam !== 'citations') throw new BadParameter('rows', 'use events (one row per event) or citations (one row per event and source)');
  const rows = rowsParam as RowsMode;
  const available: readonly string[] = rows === 'citations' ? [...EVENT_CSV_COLUMNS, ...CITATION_COLUMNS] : EVENT_CSV_COLUMNS;
  const columnsParam = query.columns;
  if (columnsParam === undefined || columnsParam === '') return { rows, columns: [...available] };
  if (typeof columnsParam !== 'string') throw new BadParameter('columns', 'give the columns once, separated by commas');
  const columns = columnsParam.split(',').map((c) => c.trim()).filter(Boolean);
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
