import { Router } from 'express';
import type { AppContext } from '../http/context';
import { sendEventsCsv } from './export';
import { parseTimelineQuery } from './filters';
import { getEvent } from './service';

export function eventRoutes({ db }: AppContext): Router {
  const router = Router();

  router.get('/events.csv', async (req, res) => {
    const { filter, values } = await parseTimelineQuery(db, req.query, { allowVendor: true });
    await sendEventsCsv(db, req, res, filter, values.vendor || 'all');
  });

  router.get('/events/:id', async (req, res) => {
    const event = await getEvent(db, req.params.id);
    res.render('events/show', { title: event.title, event });
  });

  return router;
}
