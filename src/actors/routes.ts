import { Router } from 'express';
import type { AppContext } from '../http/context';
import { getActorPage } from './service';

export function actorRoutes({ db }: AppContext): Router {
  const router = Router();
  router.get('/actors/:slug', async (req, res) => {
    const page = await getActorPage(db, req.params.slug);
    res.render('actors/show', { title: page.actor.name, ...page });
  });
  return router;
}
