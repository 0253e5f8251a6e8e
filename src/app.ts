import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { actorRoutes } from './actors/routes';
import { apiRoutes } from './api/routes';
import { authRoutes } from './accounts/routes';
import { checkHealth, DATABASE_RETRY_AFTER_SECONDS } from './db/health';
import { eventRoutes } from './events/routes';
import { feedRoutes } from './feeds/routes';
import { homeRoutes } from './overview/homeRoutes';
import type { AppContext } from './http/context';
import { acceptedBodies } from './http/bodyTypes';
import { errorHandler, notFoundHandler } from './http/errorHandler';
import { refuseNulCharacters } from './http/nulGuard';
import { anonymousPageCache } from './http/pageCache';
import { currentUser, signedInWrites } from './accounts/middleware';
import { csrfProtection, csrfTokenForViews, sameOriginWrites } from './http/security';
import { sessionMiddleware } from './http/session';
import { viewEngine } from './http/viewEngine';
import { viewHelpers } from './viewHelpers';
import { PICO_CSS, PUBLIC_DIR, VIEWS_DIR } from './lib/paths';
import { importRoutes, importUpload } from './imports/routes';
import { reportRoutes } from './reports/routes';
import { searchRoutes } from './search/routes';
import { sourceRoutes } from './sources/routes';
import { userAdminRoutes } from './accounts/adminRoutes';
import { vendorRoutes } from './vendors/routes';
import { compareRoutes } from './compare/routes';
import { jurisdictionRoutes } from './jurisdictions/routes';
import { overviewRoutes } from './overview/routes';
import { timelineRoutes } from './timelines/routes';
import { embeddablePictures } from './http/embed';
import { createSiteLoad } from './http/siteLoad';

/** Request body limits: beyond them the app answers 413. */
export const BODY_LIMITS = { bytes: '200kb', fields: 400 };

/** Writes that anonymous visitors may send: signing in and creating the first admin. */
const PUBLIC_WRITE_PATHS = ['/login', '/setup'];

/**
 * Builds the express app; it does not listen, so tests and the server share it.
 * `ctx.config.sessionSecret` must be set (startServer fills it in from the database).
 */
export function createApp(ctx: AppContext): Express {
  const secret = ctx.config.sessionSecret;
  if (!secret) throw new Error('createApp needs config.sessionSecret');
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.trustProxy);
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'ejs');
  // Every template compiled once per process, whatever NODE_ENV says (express's own 'view cache'
  // follows NODE_ENV=production); NODE_ENV=development reads templates again on every render, for
  // editing them without a restart.
  const reloadViews = process.env.NODE_ENV === 'development';
  app.engine('ejs', viewEngine(VIEWS_DIR, { reload: reloadViews }).renderFile);
  app.set('view cache', !reloadViews);
  app.set('query parser', 'simple');
  Object.assign(app.locals, viewHelpers, { user: null, flash: null });

  // One short line per request: method, path, status and time taken.
  app.use(
    pinoHttp({
      logger: ctx.logger,
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
    }),
  );
  // Whole-database downloads wait between their pieces while other requests are being answered.
  const siteLoad = createSiteLoad();
  app.use(siteLoad.track);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'upgrade-insecure-requests': null,
        },
      },
      // With helmet's default (no-referrer) browsers send `Origin: null` on form posts,
      // which the same-origin check must refuse; same-origin keeps the real origin.
      referrerPolicy: { policy: 'same-origin' },
    }),
  );

  app.get('/assets/pico.min.css', (_req, res) => res.sendFile(PICO_CSS, { maxAge: '1d' }));
  app.use('/assets', express.static(PUBLIC_DIR, { maxAge: '1h', index: false }));

  app.get('/healthz', async (_req, res) => {
    const { ok, database, schema } = await checkHealth(ctx.db);
    if (!ok) res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', database, schema });
  });

  app.use(express.urlencoded({ extended: false, limit: BODY_LIMITS.bytes, parameterLimit: BODY_LIMITS.fields }));
  app.use(refuseNulCharacters);
  app.use(embeddablePictures);
  // Before the session: an anonymous reader's page served from memory needs no session work.
  app.use(anonymousPageCache(ctx));
  app.use(sessionMiddleware(ctx, secret));
  // Before any check that may refuse a request: the error page's header needs csrfToken().
  app.use(csrfTokenForViews);
  app.use(currentUser(ctx));
  // Every write: same origin, a signed-in user (bar sign-in itself), a valid CSRF token.
  app.use(sameOriginWrites);
  app.use(signedInWrites(PUBLIC_WRITE_PATHS));
  // Refuses body types a route does not take (415) and reads the one upload, so the CSRF check sees every body.
  app.use(acceptedBodies([{ path: '/imports', parse: importUpload(ctx.config) }]));
  app.use(csrfProtection);

  app.use(authRoutes(ctx));
  app.use(userAdminRoutes(ctx));
  app.use(homeRoutes(ctx));
  app.use(apiRoutes(ctx));
  app.use(feedRoutes(ctx));
  app.use(searchRoutes(ctx));
  app.use(reportRoutes(ctx, siteLoad));
  app.use(importRoutes(ctx));
  app.use(vendorRoutes(ctx));
  app.use(overviewRoutes(ctx));
  app.use(jurisdictionRoutes(ctx));
  app.use(compareRoutes(ctx));
  app.use(eventRoutes(ctx, siteLoad));
  app.use(sourceRoutes(ctx));
  app.use(actorRoutes(ctx));
  app.use(timelineRoutes(ctx));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
