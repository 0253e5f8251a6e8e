import { MULTI_VALUE_SEPARATOR, joinValues } from '../lib/csv';
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

export async function* eventCsvRecords(events: AsyncIterable<EventDetail>): AsyncGenerator<Record<EventCsvColumn, string>> {
  for await (const event of events) yield eventCsvRecord(event);
}
