import { Router } from 'express';
import { format } from 'date-fns/format';
import { listLatestEvents } from '../events/service';
import { homeOverview } from './service';
import type { AppContext } from '../http/context';
import { vendorOverviewPage } from '../vendors/service';

const LATEST_EVENTS = 8;
/** The start page lists the first vendors by name; /vendors pages through the rest. */
const HOME_VENDORS = 25;

export function homeRoutes({ db }: AppContext): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const [vendors, latest, overview] = await Promise.all([
      vendorOverviewPage(db, '', HOME_VENDORS),
      listLatestEvents(db, LATEST_EVENTS),
      homeOverview(db, format(new Date(), 'yyyy-MM-dd')),
    ]);
    res.locals.overview = overview;
    res.render('home/index', {
      title: 'Vendor Policy Tracker',
      vendors: vendors.items,
      moreVendorsHref: vendors.next ? '/vendors' : null,
      latest,
    });
  });
  return router;
}
