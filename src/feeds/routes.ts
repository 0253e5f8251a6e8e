import { Router, type Request } from 'express';
import { listRecentlyChangedEvents } from '../events/service';
import type { AppContext } from '../http/context';
import { getVendor } from '../vendors/service';
import { renderAtom } from './atom';

const FEED_ENTRIES = 50;

const baseUrlOf = (req: Request) => `${req.protocol}://${req.get('host')}`;

export function feedRoutes({ db }: AppContext): Router {
  const router = Router();

  router.get('/feed.atom', async (req, res) => {
    const base = baseUrlOf(req);
    const events = await listRecentlyChangedEvents(db, FEED_ENTRIES);
    res.type('application/atom+xml; charset=utf-8');
    res.send(
      renderAtom({
        id: 'tag:vendor-policy-tracker,2026:feed/all',
        title: 'Vendor Policy Tracker: new and changed events',
        selfUrl: `${base}/feed.atom`,
        pageUrl: `${base}/`,
        baseUrl: base,
        events,
      }),
    );
  });

  router.get('/vendors/:slug/feed.atom', async (req, res) => {
    const vendor = await getVendor(db, req.params.slug);
    const base = baseUrlOf(req);
    const events = await listRecentlyChangedEvents(db, FEED_ENTRIES, vendor.id);
    const path = `/vendors/${encodeURIComponent(vendor.slug)}`;
    res.type('application/atom+xml; charset=utf-8');
    res.send(
      renderAtom({
        id: `tag:vendor-policy-tracker,2026:feed/vendor/${vendor.slug}`,
        title: `${vendor.name}: new and changed events`,
        selfUrl: `${base}${path}/feed.atom`,
        pageUrl: `${base}${path}`,
        baseUrl: base,
        events,
      }),
    );
  });

  return router;
}
