import { Router } from 'express';
import { listAllActors } from '../actors/service';
import { describeFilters, hasActiveFilters, parseTimelineQuery } from '../events/filters';
import { sendEventsCsv } from '../events/export';
import { groupByYear, listTimeline, TIMELINE_PAGE_LIMIT } from '../events/service';
import { EVENT_TYPES } from '../events/taxonomy';
import type { AppContext } from '../http/context';
import { getVendor, listVendorOverview } from './service';

export function vendorRoutes({ db }: AppContext): Router {
  const router = Router();

  router.get('/vendors', async (_req, res) => {
    res.render('vendors/index', { title: 'Vendors', vendors: await listVendorOverview(db) });
  });

  router.get('/vendors/:slug/events.csv', async (req, res) => {
    const vendor = await getVendor(db, req.params.slug);
    const { filter } = await parseTimelineQuery(db, req.query, { allowVendor: false });
    await sendEventsCsv(db, req, res, { ...filter, vendorId: vendor.id }, vendor.slug);
  });

  router.get('/vendors/:slug', async (req, res) => {
    const vendor = await getVendor(db, req.params.slug);
    const { values, filter } = await parseTimelineQuery(db, req.query, { allowVendor: false });
    const [events, actors] = await Promise.all([listTimeline(db, { ...filter, vendorId: vendor.id }), listAllActors(db)]);
    const actorName = actors.find((a) => a.slug === values.actor)?.name;
    res.render('vendors/timeline', {
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

  return router;
}
