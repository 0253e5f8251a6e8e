import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { MULTI_VALUE_SEPARATOR, joinValues, neutraliseCell } from '../lib/csv';
import { precisionOf } from '../lib/partialDate';
import type { EventDetail } from './repo';

/** The columns of the events export, in order. Documented in the README. */
export const EVENT_CSV_COLUMNS = [
  'id',
  'occurred_on',
  'date_precision',
  'effective_on',
  'vendors',
  'jurisdiction',
  'actor',
  'affected',
  'type',
  'title',
  'summary',
  'responds_to',
  'source_titles',
  'source_urls',
  'updated_at',
] as const;

export type EventCsvColumn = (typeof EVENT_CSV_COLUMNS)[number];

export function eventCsvRecord(event: EventDetail): Record<EventCsvColumn, string> {
  return {
    id: event.publicId,
    occurred_on: event.occurredOn,
    date_precision: precisionOf(event.occurredOn),
    effective_on: event.effectiveOn ?? '',
    // Slugs sorted, so the cell does not depend on display names (and survives a round trip).
    vendors: joinValues(event.vendors.map((v) => v.slug).sort()),
    jurisdiction: event.jurisdiction,
    actor: event.actor?.slug ?? '',
    affected: joinValues(event.affected.map((a) => a.slug).sort()),
    type: event.type,
    title: event.title,
    summary: event.summary,
    responds_to: joinValues(event.linksOut.filter((l) => l.relation === 'responds-to').map((l) => l.event.publicId)),
    source_titles: event.citations.map((c) => c.source.title).join(MULTI_VALUE_SEPARATOR),
    // Kept position for position with source_titles, so a source without a URL leaves an empty slot.
    source_urls: event.citations.map((c) => c.source.url ?? '').join(MULTI_VALUE_SEPARATOR),
    updated_at: event.updatedAt,
  };
}

const BOM = '\ufeff';

/**
 * Writes records as RFC 4180 CSV (CRLF, quoted where needed, header always present),
 * neutralising cells a spreadsheet would run as formulas. Streams with backpressure.
 */
export async function writeCsv<T extends string>(
  records: AsyncIterable<Record<T, string>>,
  columns: readonly T[],
  out: Writable,
  options: { bom?: boolean } = {},
): Promise<void> {
  const neutralise = new Transform({
    objectMode: true,
    transform(record: Record<T, string>, _enc, done) {
      const safe: Record<string, string> = {};
      for (const c of columns) safe[c] = neutraliseCell(record[c] ?? '');
      done(null, safe);
    },
  });
  // csv-stringify quotes only cells that contain the record delimiter (CRLF); a bare LF
  // or CR must be quoted too, or spreadsheets split the row.
  const stringifier = stringify({ header: true, columns: columns.map(String), record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
  if (options.bom) out.write(BOM);
  await pipeline(Readable.from(records), neutralise, stringifier, out);
}

export async function* eventCsvRecords(events: AsyncIterable<EventDetail>): AsyncGenerator<Record<EventCsvColumn, string>> {
  for await (const event of events) yield eventCsvRecord(event);
}
