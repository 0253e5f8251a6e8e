import { Router } from 'express';
import type { AppContext } from '../http/context';
import { getSourcePage } from './service';

export function sourceRoutes({ db }: AppContext): Router {
  const router = Router();
  router.get('/sources/:id', async (req, res) => {
    const page = await getSourcePage(db, req.params.id);
    res.render('sources/show', { title: page.source.title, ...page });
  });
  return router;
}
