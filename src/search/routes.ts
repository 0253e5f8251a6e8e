import { Router } from 'express';
import { EVENT_TYPES } from '../events/taxonomy';
import type { AppContext } from '../http/context';
import { search, vendorChoices } from './service';

export function searchRoutes({ db }: AppContext): Router {
  const router = Router();
  router.get('/search', async (req, res) => {
    const [page, vendors] = await Promise.all([search(db, req.query), vendorChoices(db)]);
    res.render('search/index', { title: page.q ? `Search: ${page.q.slice(0, 80)}` : 'Search', ...page, vendors, eventTypes: EVENT_TYPES });
  });
  return router;
}
