import { Router } from 'express';
import { listAllActors } from '../actors/service';
import { describeFilters, hasActiveFilters, parseTimelineQuery, timelineQueryString } from '../events/filters';
import { sendEventsCsv } from '../events/export';
import { getActorPage, getSourcePage, groupByYear, listTimeline, TIMELINE_PAGE_LIMIT } from '../events/service';
import { EVENT_TYPES } from '../events/taxonomy';
import type { AppContext } from '../http/context';
import { embedSnippet, sendSvg, siteBase } from '../http/embed';
import { getVendor, type Vendor } from '../vendors/service';
import { vendorTimelineChart } from './pictures';
import { whileDataUnchanged } from '../http/fragments';
import { renderView, SLOT, slotParts } from '../http/viewEngine';
import { composedTag, entityTag } from '../http/entityTag';
import { sendParts } from '../http/sendParts';

/** The kept part of a vendor's page, and the vendor it shows (for the title and header). */
interface TimelineMain {
  vendor: Vendor;
  bytes: Buffer;
  /** The part's entity tag, made once with it (the page's tag is made from it and the shell). */
  tag: string | undefined;
}

/**
 * The reader pages that show a subject's events: a vendor's timeline (with its CSV and its
 * chart alone), an actor's and a source's page. They sit above the events hub and the
 * vendors, actors and sources folders, which keep their own lists and forms.
 * Mounted after those folders' routers, so `/vendors/new` and the like match there first.
 */
export function timelineRoutes({ db }: AppContext): Router {
  const router = Router();

  router.get('/vendors/:slug/events.csv', async (req, res) => {
    const vendor = await getVendor(db, req.params.slug);
    const { filter } = await parseTimelineQuery(db, req.query, { allowVendor: false });
    await sendEventsCsv(db, req, res, { ...filter, vendorId: vendor.id }, vendor.slug);
  });

  // The chart alone, for articles: same filters as the page, with a title, the date and a link back.
  router.get('/vendors/:slug/timeline.svg', async (req, res) => {
    const vendor = await getVendor(db, req.params.slug);
    const { values, filter } = await parseTimelineQuery(db, req.query, { allowVendor: false });
    const events = await listTimeline(db, { ...filter, vendorId: vendor.id });
    sendSvg(res, vendorTimelineChart(vendor, events, values, { base: siteBase(req), framed: true }).svg);
  });

  // The part of a vendor's page that is the same for every reader (filters, chart, list) is kept
  // until the data changes; the rest (header, sign-in state, analyst links) is rendered for each
  // request around it. Not kept while templates reload (NODE_ENV=development).
  const mains = whileDataUnchanged<TimelineMain>(db);
  router.get('/vendors/:slug', async (req, res) => {
    const { values, filter } = await parseTimelineQuery(db, req.query, { allowVendor: false });
    const base = siteBase(req);
    const compute = async (): Promise<TimelineMain> => {
      const vendor = await getVendor(db, req.params.slug);
      const [events, actors] = await Promise.all([listTimeline(db, { ...filter, vendorId: vendor.id }), listAllActors(db)]);
      const actorName = actors.find((a) => a.slug === values.actor)?.name;
      const chart = vendorTimelineChart(vendor, events, values);
      const pageHref = `${base}/vendors/${encodeURIComponent(vendor.slug)}${timelineQueryString(values)}`;
      const svgHref = `${base}/vendors/${encodeURIComponent(vendor.slug)}/timeline.svg${timelineQueryString(values)}`;
      // app.render: the app's locals (view helpers) and these, never the request's (user, CSRF token).
      const html = await renderView(req.app, 'vendors/timeline-main', {
        chart,
        embed: { svgHref, snippet: embedSnippet(pageHref, svgHref, `${vendor.name}: timeline. ${chart.summary}`) },
        vendor,
        events,
        years: groupByYear(events),
        truncated: events.length >= TIMELINE_PAGE_LIMIT,
        filters: values,
        activeFilters: describeFilters(values, actorName),
        filtered: hasActiveFilters(values),
        actors,
        eventTypes: EVENT_TYPES,
      });
      const bytes = Buffer.from(html);
      return { vendor, bytes, tag: entityTag(req.app, bytes) };
    };
    // The chart marks today and the embed code names the host the page was asked on.
    const key = JSON.stringify([new Date().toISOString().slice(0, 10), base, req.params.slug, values]);
    const main = await mains.forApp(req.app, key, compute);
    const shell = await renderView(res, 'vendors/timeline', { title: `${main.vendor.name}: timeline`, vendor: main.vendor, main: SLOT });
    res.type('html');
    sendParts(res, slotParts(shell, main.bytes), composedTag(req.app, shell, main.tag));
  });

  router.get('/actors/:slug', async (req, res) => {
    const page = await getActorPage(db, req.params.slug, req.query);
    res.render('actors/show', { title: page.actor.name, ...page });
  });

  router.get('/sources/:id', async (req, res) => {
    const page = await getSourcePage(db, req.params.id, req.query);
    res.render('sources/show', { title: page.source.title, ...page });
  });
  return router;
}
