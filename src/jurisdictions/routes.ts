import { Router } from 'express';
import { format } from 'date-fns/format';
import { timelineChart, chartEventOf } from '../charts/timelineChart';
import { groupByYear } from '../events/service';
import type { AppContext } from '../http/context';
import { singleParam } from '../lib/errors';
import { timelineQueryString } from '../events/filters';
import { getJurisdictionPage, JURISDICTION_PAGE_EVENTS, listJurisdictions } from './service';

export function jurisdictionRoutes({ db }: AppContext): Router {
  const router = Router();
  const today = () => format(new Date(), 'yyyy-MM-dd');

  router.get('/jurisdictions', async (_req, res) => {
    res.render('jurisdictions/index', { title: 'Jurisdictions', jurisdictions: await listJurisdictions(db, today()), asOf: today() });
  });

  router.get('/jurisdictions/:code', async (req, res) => {
    const after = singleParam(req.query, 'after');
    const page = await getJurisdictionPage(db, String(req.params.code), after, today());
    // In a jurisdiction's chart each lane is a body that acted there, so it reads as who did what.
    const events = page.events.map((e) => ({
      ...chartEventOf(e),
      lane: { key: e.actor?.slug ?? '-', name: e.actor?.name ?? 'Body not recorded' },
    }));
    const chart = timelineChart([{ key: '', label: '', events }], {
      idPrefix: 'tl',
      zoomHref: (_group, _lane, from, to) => `/events${timelineQueryString({ jurisdiction: page.code, from, to })}`,
    });
    const path = `/jurisdictions/${encodeURIComponent(page.code)}`;
    res.render('jurisdictions/show', {
      title: page.name,
      page,
      chart,
      years: groupByYear(page.events),
      pageSize: JURISDICTION_PAGE_EVENTS,
      asOf: today(),
      firstHref: after ? path : null,
      nextHref: page.next ? `${path}?after=${encodeURIComponent(page.next)}` : null,
    });
  });

  return router;
}
