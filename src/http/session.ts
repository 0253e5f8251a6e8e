import { ConnectSessionKnexStore } from 'connect-session-knex';
import session from 'express-session';
import type { RequestHandler } from 'express';
import type { AppContext } from './context';

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    /** When the user signed in (ms since epoch), for the absolute timeout. */
    signedInAt?: number;
    /** A one-time message for the next page ("Event saved."). */
    flash?: string;
  }
}

export const SESSION_COOKIE = 'vpt.sid';

/** express-session kept in the app's own database, so several processes share sign-ins. */
export function sessionMiddleware(ctx: AppContext, secret: string): RequestHandler {
  const store = new ConnectSessionKnexStore({
    knex: ctx.db,
    tableName: 'sessions',
    createTable: false,
    cleanupInterval: 15 * 60_000,
    onDbCleanupError: (err: unknown) => ctx.logger.warn({ err }, 'could not remove expired sessions'),
  });
  return session({
    name: SESSION_COOKIE,
    secret,
    store,
    resave: false,
    saveUninitialized: false,
    // Each request pushes the expiry forward: the idle timeout.
    rolling: true,
    proxy: ctx.config.trustProxy !== false,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.config.cookieSecure,
      maxAge: ctx.config.sessionIdleMinutes * 60_000,
      path: '/',
    },
  });
}
