import { Router } from 'express';
import { listAllActors } from '../actors/service';
import { describeFilters, hasActiveFilters, parseTimelineQuery, timelineQueryString } from '../events/filters';
import { sendEventsCsv } from '../events/export';
import { getActorPage, getSourcePage, groupByYear, listTimeline, TIMELINE_PAGE_LIMIT } from '../events/service';
import { EVENT_TYPES } from '../events/taxonomy';
import type { AppContext } from '../http/context';
import { embedSnippet, sendSvg, siteBase } from '../http/embed';
import { getVendor } from '../vendors/service';
import { vendorTimelineChart } from './pictures';

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

  router.get('/vendors/:slug', async (req, res) => {
    const vendor = await getVendor(db, req.params.slug);
    const { values, filter } = await parseTimelineQuery(db, req.query, { allowVendor: false });
    const [events, actors] = await Promise.all([listTimeline(db, { ...filter, vendorId: vendor.id }), listAllActors(db)]);
    const actorName = actors.find((a) => a.slug === values.actor)?.name;
    const chart = vendorTimelineChart(vendor, events, values);
    const pageHref = `${siteBase(req)}/vendors/${encodeURIComponent(vendor.slug)}${timelineQueryString(values)}`;
    const svgHref = `${siteBase(req)}/vendors/${encodeURIComponent(vendor.slug)}/timeline.svg${timelineQueryString(values)}`;
    res.render('vendors/timeline', {
      chart,
      embed: { svgHref, snippet: embedSnippet(pageHref, svgHref, `${vendor.name}: timeline. ${chart.summary}`) },
      title: `${vendor.name}: timeline`,
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
