import { Router } from 'express';
import { listLatestEvents } from '../events/service';
import type { AppContext } from '../http/context';
import { listVendorOverview } from '../vendors/service';

const LATEST_EVENTS = 8;

export function homeRoutes({ db }: AppContext): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const [vendors, latest] = await Promise.all([listVendorOverview(db), listLatestEvents(db, LATEST_EVENTS)]);
    res.render('home/index', { title: 'Vendor Policy Tracker', vendors, latest });
  });
  return router;
}
