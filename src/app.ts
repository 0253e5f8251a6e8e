import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { actorRoutes } from './actors/routes';
import { pingDb } from './db/knex';
import { eventRoutes } from './events/routes';
import { homeRoutes } from './home/routes';
import type { AppContext } from './http/context';
import { errorHandler, notFoundHandler } from './http/errorHandler';
import { viewHelpers } from './http/viewHelpers';
import { PICO_CSS, PUBLIC_DIR, VIEWS_DIR } from './paths';
import { sourceRoutes } from './sources/routes';
import { vendorRoutes } from './vendors/routes';

/** Builds the express app; it does not listen, so tests and the server share it. */
export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'ejs');
  app.set('query parser', 'simple');
  Object.assign(app.locals, viewHelpers);

  app.use(pinoHttp({ logger: ctx.logger, customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info') }));
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
    }),
  );

  app.get('/assets/pico.min.css', (_req, res) => res.sendFile(PICO_CSS, { maxAge: '1d' }));
  app.use('/assets', express.static(PUBLIC_DIR, { maxAge: '1h', index: false }));

  app.get('/healthz', async (_req, res) => {
    const ok = await pingDb(ctx.db);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', database: ok ? 'up' : 'down' });
  });

  app.use(homeRoutes(ctx));
  app.use(vendorRoutes(ctx));
  app.use(eventRoutes(ctx));
  app.use(sourceRoutes(ctx));
  app.use(actorRoutes(ctx));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
