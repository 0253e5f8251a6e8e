import { type Request, Router } from 'express';
import { format } from 'date-fns/format';
import { EVENT_TYPES, MEASURES } from '../events/taxonomy';
import type { AppContext } from '../http/context';
import { csvFilename, sendCsv } from '../http/csvResponse';
import { NotFound, singleParam } from '../lib/errors';
import { CITATION_COLUMNS } from './eventColumns';
import { EVENT_CSV_COLUMNS } from '../events/csv';
import {
  ACTIVITY_COLUMNS,
  activityReport,
  vendorChoices,
  eventsReport,
  REPORT_PAGE_ROWS,
  REPORTS,
  SOURCE_REPORT_COLUMNS,
  sourceReportRecords,
  statusReport,
  statusReportCells,
} from './service';
import type { StatusCell } from '../status/board';
import { measureSwatch, statusMapPicture, statusPictures } from '../status/map';
import { drawnOn, embedSnippet, sendSvg, siteBase } from '../http/embed';
import { whileDataUnchanged } from '../http/fragments';
import { renderView } from '../http/viewEngine';
import type { SiteLoad } from '../http/siteLoad';

const STATUS_COLUMNS = ['vendor', 'jurisdiction', 'measure', 'event_id', 'in_force_since'] as const;

async function* from<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

async function* statusRecords(cells: AsyncIterable<StatusCell>): AsyncGenerator<Record<(typeof STATUS_COLUMNS)[number], string>> {
  for await (const c of cells)
    yield { vendor: c.vendorSlug, jurisdiction: c.jurisdiction, measure: c.measure, event_id: c.eventId, in_force_since: c.inForceSince };
}

/** The query string of a report, to link its CSV and its page to each other. */
function queryString(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (typeof v === 'string' && v !== '' && k !== 'bom') params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Every parameter of the query (repeated ones too), with `set` replacing some (empty: dropped). */
function fullQueryString(query: Record<string, unknown>, set: Record<string, string>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (k in set) continue;
    for (const one of Array.isArray(v) ? v : [v]) if (typeof one === 'string' && one !== '') params.append(k, one);
  }
  for (const [k, v] of Object.entries(set)) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The report forms' vendor choices as rendered `<option>`s (the text of the vendor field's datalist). */
interface VendorChoicesHtml {
  html: string;
  bytes: Buffer;
}

export function reportRoutes({ db }: AppContext, siteLoad: SiteLoad): Router {
  const router = Router();

  // The vendor field's choices are the same on every report page until the data changes: kept
  // rendered, so a page does not read and write the same 300 vendors again for each request
  // (with 10,000 vendors, the one-vendor activity report spent a third of its time on them).
  const choices = whileDataUnchanged<VendorChoicesHtml>(db);
  const vendorChoicesHtml = async (req: Request): Promise<string> => {
    const compute = async (): Promise<VendorChoicesHtml> => {
      const html = await renderView(req.app, 'partials/vendor-choices', { choices: await vendorChoices(db) });
      return { html, bytes: Buffer.from(html) };
    };
    return (await choices.forApp(req.app, 'vendor choices', compute)).html;
  };
  const today = () => format(new Date(), 'yyyy-MM-dd');

  router.get('/reports', async (_req, res) => {
    res.render('reports/index', { title: 'Reports', reports: REPORTS });
  });

  router.get('/reports/events.csv', async (req, res) => {
    const report = await eventsReport(db, req.query);
    const prefix = `${report.values.vendor || 'all'}-${report.shape.rows === 'citations' ? 'citations' : 'events'}`;
    await sendCsv(req, res, csvFilename(prefix), report.shape.columns, report.records(), siteLoad.giveWay(res));
  });

  router.get('/reports/events', async (req, res) => {
    const report = await eventsReport(db, req.query);
    const after = singleParam(req.query, 'after');
    const page = await report.preview(after);
    res.render('reports/events', {
      title: 'Events report',
      filters: report.values,
      shape: report.shape,
      rows: page.records,
      firstHref: after ? `/reports/events${fullQueryString(req.query, { after: '' })}` : null,
      nextHref: page.next ? `/reports/events${fullQueryString(req.query, { after: page.next })}` : null,
      pageRows: REPORT_PAGE_ROWS,
      vendorChoicesHtml: await vendorChoicesHtml(req),
      eventTypes: EVENT_TYPES,
      allColumns: { events: EVENT_CSV_COLUMNS, citations: CITATION_COLUMNS },
      csvHref: `/reports/events.csv${queryString(req.query)}`,
    });
  });

  router.get('/reports/status.csv', async (req, res) => {
    const { cells, asOf, vendor } = await statusReportCells(db, req.query, today());
    await sendCsv(
      req,
      res,
      csvFilename(`${vendor?.slug ?? 'all'}-status-as-of-${asOf}`),
      STATUS_COLUMNS,
      statusRecords(cells),
      siteLoad.giveWay(res),
    );
  });

  // The status map alone, for articles: same as_of and vendor as the page.
  router.get('/reports/status.svg', async (req, res) => {
    const report = await statusReport(db, { ...req.query, after: undefined }, today());
    const pageHref = `${siteBase(req)}/reports/status${queryString({ as_of: report.asOf, vendor: report.vendor?.slug ?? '' })}`;
    sendSvg(res, await statusMapPicture(db, report.asOf, report.vendor, { base: siteBase(req), href: pageHref, drawnOn: drawnOn() }));
  });

  router.get('/reports/status', async (req, res) => {
    const report = await statusReport(db, req.query, today());
    const pictures = await statusPictures(db, report.asOf, today(), report.vendor?.id);
    const pictureQuery = queryString({ as_of: report.asOf, vendor: report.vendor?.slug ?? '' });
    const svgHref = `${siteBase(req)}/reports/status.svg${pictureQuery}`;
    res.locals.pictures = {
      ...pictures,
      swatch: measureSwatch,
      embed: {
        svgHref,
        snippet: embedSnippet(
          `${siteBase(req)}/reports/status${pictureQuery}`,
          svgHref,
          `Map of the measures in force against ${report.vendor ? report.vendor.name : 'cybersecurity vendors'} on ${report.asOf}. ${pictures.map.view.summary}`,
        ),
      },
    };
    const nextHref = report.next ? `/reports/status${queryString({ ...req.query, after: report.next })}` : null;
    res.render('reports/status', {
      title: `Status board as of ${report.asOf}`,
      ...report,
      nextHref,
      measures: MEASURES,
      vendorChoicesHtml: await vendorChoicesHtml(req),
      csvHref: `/reports/status.csv${queryString({ ...req.query, after: '' })}`,
    });
  });

  router.get('/reports/sources.csv', async (req, res) => {
    await sendCsv(req, res, csvFilename('sources'), SOURCE_REPORT_COLUMNS, sourceReportRecords(db), siteLoad.giveWay(res));
  });

  router.get('/reports/sources', async (_req, res) => {
    const rows = [];
    for await (const r of sourceReportRecords(db)) {
      if (rows.length === REPORT_PAGE_ROWS) break;
      rows.push(r);
    }
    res.render('reports/sources', { title: 'Sources report', rows, pageRows: REPORT_PAGE_ROWS, csvHref: '/reports/sources.csv' });
  });

  router.get('/reports/activity.csv', async (req, res) => {
    const report = await activityReport(db, req.query);
    const records = report.counts.map((c) => ({ year: c.year, type: c.type, events: String(c.events) }));
    await sendCsv(req, res, csvFilename(`${report.vendor?.slug ?? 'all'}-activity`), ACTIVITY_COLUMNS, from(records));
  });

  router.get('/reports/activity', async (req, res) => {
    const report = await activityReport(db, req.query);
    res.render('reports/activity', {
      title: 'Activity report',
      ...report,
      vendorChoicesHtml: await vendorChoicesHtml(req),
      csvHref: `/reports/activity.csv${queryString(req.query)}`,
    });
  });

  router.get('/reports/:name', (req) => {
    throw new NotFound(`There is no report called "${req.params.name}".`);
  });

  return router;
}
