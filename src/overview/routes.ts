import { Router } from 'express';
import { listAllActors } from '../actors/service';
import { describeFilters, hasActiveFilters, timelineQueryString } from '../events/filters';
import { groupByYear } from '../events/service';
import { EVENT_TYPES } from '../events/taxonomy';
import { singleGroup, timelineChart } from '../charts/timelineChart';
import type { AppContext } from '../http/context';
import { vendorChoices } from '../vendors/service';
import { EVENTS_PAGE_SIZE, listEventsPage } from './service';

const VENDOR_CHOICES = 300;

export function overviewRoutes({ db }: AppContext): Router {
  const router = Router();

  // Every vendor's events: the timeline filters plus `vendor`, a page at a time (`after`).
  router.get('/events', async (req, res) => {
    const page = await listEventsPage(db, req.query);
    const [actors, vendors] = await Promise.all([listAllActors(db), vendorChoices(db, VENDOR_CHOICES)]);
    const values = page.values;
    const chart = timelineChart(singleGroup(page.events), {
      idPrefix: 'tl',
      from: values.from,
      to: values.to,
      zoomHref: (_group, jurisdiction, from, to) => `/events${timelineQueryString({ ...values, jurisdiction, from, to })}`,
    });
    const actorName = actors.find((a) => a.slug === values.actor)?.name;
    const vendorName = vendors.find((v) => v.slug === values.vendor)?.name;
    const active = describeFilters(values, actorName);
    if (values.vendor) active.unshift(`Vendor: ${vendorName ?? values.vendor}`);
    res.render('events/index', {
      title: 'All events',
      events: page.events,
      years: groupByYear(page.events),
      chart,
      filters: values,
      activeFilters: active,
      filtered: hasActiveFilters(values) || !!values.vendor,
      actors,
      vendors,
      eventTypes: EVENT_TYPES,
      pageSize: EVENTS_PAGE_SIZE,
      firstHref: page.after ? `/events${timelineQueryString(values)}` : null,
      nextHref: page.next ? `/events${timelineQueryString(values, { after: page.next })}` : null,
      csvHref: `/events.csv${timelineQueryString(values)}`,
    });
  });

  return router;
}
