import { Router } from 'express';
import { format } from 'date-fns/format';
import { chartEventOf, timelineChart } from '../charts/timelineChart';
import { timelineQueryString } from '../events/filters';
import type { AppContext } from '../http/context';
import { COMPARE_EVENTS_PER_VENDOR, compareVendors, MAX_COMPARED } from './service';

export function compareRoutes({ db }: AppContext): Router {
  const router = Router();
  const today = () => format(new Date(), 'yyyy-MM-dd');

  // /compare?vendors=a,b,c&as_of=YYYY-MM-DD: the vendors on one time axis, and what is in force where.
  router.get('/compare', async (req, res) => {
    const comparison = await compareVendors(db, req.query, today());
    const groups = comparison.compared.map((c) => ({ key: c.vendor.slug, label: c.vendor.name, events: c.events.map(chartEventOf) }));
    const chart = groups.length
      ? timelineChart(groups, {
          idPrefix: 'cmp',
          zoomHref: (slug, jurisdiction, from, to) =>
            `/vendors/${encodeURIComponent(slug)}${timelineQueryString({ jurisdiction, from, to })}`,
        })
      : null;
    const names = comparison.compared.map((c) => c.vendor.name);
    res.render('compare/index', {
      title: names.length ? `Compare ${names.join(', ')}` : 'Compare vendors',
      ...comparison,
      chart,
      maxCompared: MAX_COMPARED,
      perVendor: COMPARE_EVENTS_PER_VENDOR,
    });
  });

  return router;
}
