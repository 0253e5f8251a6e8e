import type { Db } from '../db/knex';
import { parseTimelineQuery } from '../events/filters';
import { findEventRows, hydrateEvents } from '../events/repo';
import { iterateEvents } from '../events/service';
import { BadParameter, singleParam } from '../lib/errors';
import { decodePageKey, encodePageKey } from '../lib/keyset';
import { decodeEventCursor, encodeEventCursor } from '../events/cursor';
import { PartialDateError, parsePartialDate } from '../lib/partialDate';
import { sourceFields } from '../sources/fields';
import { listSourcesAfter } from '../sources/repo';
import { findVendorBySlug, listVendorChoices, type Vendor } from '../vendors/repo';
import { eventReportPreviewRecords, eventReportRecords, parseEventReportShape } from './eventColumns';
import { iterateStatusCells, type StatusCell, statusBoard, statusBoardPage } from '../status/board';
import { countActivity, findCitingEvents } from './repo';

export const REPORT_PAGE_ROWS = 300;

/** The reports, as listed on /reports. */
export const REPORTS = [
  {
    name: 'events',
    title: 'Events',
    description: 'Every event matching the timeline filters, with a choice of columns; or one row per event and source, with the quotes.',
  },
  {
    name: 'status',
    title: 'Status board',
    description: 'For each vendor and jurisdiction, the strongest measure in force on a given day.',
  },
  { name: 'sources', title: 'Sources', description: 'Every source with the events citing it: a bibliography for a report’s annex.' },
  { name: 'activity', title: 'Activity', description: 'How many events per year and type, for one vendor or overall.' },
] as const;

/** Vendors offered in the report forms' vendor field: the first by name (any other can be typed). */
export const VENDOR_CHOICES = 300;

export async function vendorChoices(db: Db): Promise<Array<{ slug: string; name: string }>> {
  return listVendorChoices(db, VENDOR_CHOICES);
}

async function optionalVendor(db: Db, query: Record<string, unknown>): Promise<Vendor | null> {
  const slug = singleParam(query, 'vendor');
  if (!slug) return null;
  const vendor = await findVendorBySlug(db, slug);
  if (!vendor) throw new BadParameter('vendor', `no vendor is recorded as "${slug}"`);
  return vendor;
}

// ---- events ---------------------------------------------------------------

export async function eventsReport(db: Db, query: Record<string, unknown>) {
  const { values, filter } = await parseTimelineQuery(db, query, { allowVendor: true });
  const shape = parseEventReportShape(query);
  return {
    values,
    shape,
    filter,
    /** Every record, streamed a page of events at a time. */
    async *records() {
      for await (const event of iterateEvents(db, filter)) yield* eventReportRecords(event, shape.rows);
    },
    /**
     * One page of records for the page, after the event `after` (keyset, as /events): whole
     * events up to REPORT_PAGE_ROWS records (at least one event); `next` continues.
     */
    async preview(after = '') {
      const rows = await findEventRows(db, filter, REPORT_PAGE_ROWS + 1, decodeEventCursor(after));
      const events = await hydrateEvents(db, rows.slice(0, REPORT_PAGE_ROWS));
      const records: Array<ReturnType<typeof eventReportPreviewRecords>[number]> = [];
      let shown = 0;
      for (const e of events) {
        const own = eventReportPreviewRecords(e, shape.rows);
        if (shown > 0 && records.length + own.length > REPORT_PAGE_ROWS) break;
        records.push(...own);
        shown++;
      }
      const last = rows[shown - 1];
      return { records, next: last && rows.length > shown ? encodeEventCursor(last) : null };
    },
  };
}

// ---- status ---------------------------------------------------------------

async function statusParams(db: Db, query: Record<string, unknown>, today: string): Promise<{ asOf: string; vendor: Vendor | null }> {
  const asOfParam = singleParam(query, 'as_of');
  let asOf = today;
  if (asOfParam) {
    try {
      const date = parsePartialDate(asOfParam);
      if (date.precision !== 'day') throw new PartialDateError('give a full date, YYYY-MM-DD');
      asOf = date.value;
    } catch (err) {
      if (err instanceof PartialDateError) throw new BadParameter('as_of', `"${asOfParam}" is not a day: ${err.message}`);
      throw err;
    }
  }
  return { asOf, vendor: await optionalVendor(db, query) };
}

/** One page of the board: one vendor's cells, or a page of vendors (`after` continues). */
export async function statusReport(db: Db, query: Record<string, unknown>, today: string) {
  const { asOf, vendor } = await statusParams(db, query, today);
  if (vendor) return { asOf, vendor, cells: await statusBoard(db, asOf, vendor.id), next: null as string | null };
  const afterParam = singleParam(query, 'after');
  const after = afterParam ? decodePageKey(afterParam, ['string', 'number'] as const, 'after') : undefined;
  const page = await statusBoardPage(db, asOf, { after });
  return { asOf, vendor, cells: page.cells, next: page.next ? encodePageKey(page.next) : null };
}

/** Every cell of the board on `as_of` (one vendor's with `vendor`), streamed a page of vendors at a time. */
export async function statusReportCells(db: Db, query: Record<string, unknown>, today: string) {
  const { asOf, vendor } = await statusParams(db, query, today);
  const cells: AsyncIterable<StatusCell> = vendor ? listed(await statusBoard(db, asOf, vendor.id)) : iterateStatusCells(db, asOf);
  return { asOf, vendor, cells };
}

async function* listed<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

// ---- sources --------------------------------------------------------------

export const SOURCE_REPORT_COLUMNS = [
  'source_id',
  'title',
  'publisher',
  'author',
  'published_on',
  'url',
  'archived_url',
  'reliability',
  'event_ids',
  'event_titles',
] as const;

/** Every source with the live events citing it, a page of sources at a time. */
export async function* sourceReportRecords(db: Db, pageSize = 200): AsyncGenerator<Record<(typeof SOURCE_REPORT_COLUMNS)[number], string>> {
  let after = 0;
  for (;;) {
    const sources = await listSourcesAfter(db, after, pageSize);
    if (sources.length === 0) return;
    const citing = await findCitingEvents(
      db,
      sources.map((s) => s.id),
    );
    const bySource = new Map<number, typeof citing>();
    for (const c of citing) bySource.set(Number(c.source_id), [...(bySource.get(Number(c.source_id)) ?? []), c]);
    for (const s of sources) {
      const events = bySource.get(Number(s.id)) ?? [];
      const { title, publisher, author, published_on, url, archived_url, reliability } = sourceFields({ ...s, body: null });
      yield {
        source_id: String(s.id),
        title,
        publisher,
        author,
        published_on,
        url,
        archived_url,
        reliability,
        event_ids: events.map((e) => e.public_id).join(' | '),
        event_titles: events.map((e) => e.title).join(' | '),
      };
    }
    if (sources.length < pageSize) return;
    after = Number(sources[sources.length - 1].id);
  }
}

// ---- activity -------------------------------------------------------------

export const ACTIVITY_COLUMNS = ['year', 'type', 'events'] as const;

export async function activityReport(db: Db, query: Record<string, unknown>) {
  const vendor = await optionalVendor(db, query);
  const rows = await countActivity(db, vendor?.id);
  const counts = rows.map((r) => ({ year: String(r.year), type: r.type, events: Number(r.n) }));
  const years = [...new Set(counts.map((c) => c.year))];
  const types = [...new Set(counts.map((c) => c.type))].sort();
  return { vendor, counts, years, types, total: counts.reduce((sum, c) => sum + c.events, 0) };
}
