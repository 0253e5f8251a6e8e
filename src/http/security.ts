import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { csrfSync } from 'csrf-sync';
import { activeUser } from '../accounts/signIn';
import type { Role, User } from '../accounts/repo';
import type { AppContext } from './context';
import { AppError } from '../lib/errors';

declare module 'express-serve-static-core' {
  interface Request {
    user?: User;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isWrite = (req: Request) => !SAFE_METHODS.has(req.method);

const ROLE_RANK: Record<Role, number> = { analyst: 1, admin: 2 };

export class Forbidden extends AppError {
  constructor(message = 'Your account may not do this.', code = 'forbidden') {
    super(403, code, message);
  }
}

const SITE = 'http://site.invalid';

/**
 * The path to return to after sign-in: only a path that stays on this site once a browser
 * has resolved it, otherwise `/`. Browsers drop tabs and line breaks inside a URL, read a
 * backslash as a slash and resolve dot segments (also `%2e`), so `/.//evil.example`,
 * `/a/..//evil.example` and `/\evil.example` all end up as `//evil.example`, another host.
 * The check is therefore made on the resolved path, and that path is what is returned.
 */
export function safeNextPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000 || !value.startsWith('/')) return '/';
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  let url: URL;
  try {
    url = new URL(value, SITE);
  } catch {
    return '/';
  }
  if (url.origin !== SITE) return '/';
  const path = url.pathname + url.search + url.hash;
  return isLocalPath(path) ? path : '/';
}

/**
 * A resolved path that a browser cannot read as another host: one leading slash, no
 * encoded slash or backslash in the path part (a proxy may decode them), and stable when
 * resolved again.
 */
function isLocalPath(path: string): boolean {
  if (!path.startsWith('/') || path.startsWith('//') || /%(2f|5c)/i.test(path.split(/[?#]/, 1)[0])) return false;
  try {
    const again = new URL(path, SITE);
    return again.origin === SITE && again.pathname + again.search + again.hash === path;
  } catch {
    return false;
  }
}

/** Loads the signed-in user, enforcing the absolute session lifetime and disabled accounts. */
export function currentUser(ctx: AppContext): RequestHandler {
  const maxAgeMs = ctx.config.sessionMaxHours * 3_600_000;
  return async (req, res, next) => {
    const s = req.session;
    if (s?.userId !== undefined) {
      const expired = !s.signedInAt || Date.now() - s.signedInAt > maxAgeMs;
      const user = expired ? null : await activeUser(ctx.db, s.userId);
      if (user) {
        req.user = user;
      } else {
        await new Promise<void>((resolve) => s.regenerate(() => resolve()));
      }
    }
    res.locals.user = req.user ?? null;
    res.locals.currentPath = req.method === 'GET' ? req.originalUrl : '/';
    if (req.session?.flash) {
      res.locals.flash = req.session.flash;
      delete req.session.flash;
    }
    next();
  };
}

function expectedOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host')}`;
}

/** Refuses writes that a browser says come from another site. */
export const sameOriginWrites: RequestHandler = (req, _res, next) => {
  if (!isWrite(req)) return next();
  const origin = req.get('origin');
  if (origin !== undefined) {
    if (origin !== expectedOrigin(req)) return next(new Forbidden('This request came from another site and was refused.', 'foreign_origin'));
    return next();
  }
  const referer = req.get('referer');
  if (referer) {
    let refOrigin = '';
    try {
      refOrigin = new URL(referer).origin;
    } catch {
      /* unparsable: treated as foreign */
    }
    if (refOrigin !== expectedOrigin(req)) return next(new Forbidden('This request came from another site and was refused.', 'foreign_origin'));
  }
  next();
};

function sendToSignIn(req: Request, res: Response, next: NextFunction): void {
  if (req.path.startsWith('/api/') || !req.accepts('html')) {
    next(new AppError(401, 'sign_in_required', 'Sign in to do this.'));
    return;
  }
  const back = req.method === 'GET' ? req.originalUrl : safeNextPath(refererPath(req));
  res.redirect(303, `/login?next=${encodeURIComponent(back)}`);
}

function refererPath(req: Request): string {
  try {
    const url = new URL(req.get('referer') ?? '');
    return url.origin === expectedOrigin(req) ? url.pathname + url.search : '/';
  } catch {
    return '/';
  }
}

/** Every write needs a signed-in user, except the sign-in and first-admin forms themselves. */
export function signedInWrites(publicWritePaths: readonly string[]): RequestHandler {
  return (req, res, next) => {
    if (!isWrite(req) || req.user || publicWritePaths.includes(req.path)) return next();
    sendToSignIn(req, res, next);
  };
}

/** For pages and writes that need a role: anonymous users go to sign-in, others get 403. */
export function requireRole(role: Role): RequestHandler {
  return (req, res, next) => {
    if (!req.user) return sendToSignIn(req, res, next);
    if (ROLE_RANK[req.user.role] < ROLE_RANK[role]) return next(new Forbidden(role === 'admin' ? 'Only admins may do this.' : 'Your account may not do this.'));
    next();
  };
}

const csrf = csrfSync({
  getTokenFromRequest: (req) => (typeof req.body?._csrf === 'string' ? req.body._csrf : undefined),
  errorConfig: { statusCode: 403, code: 'csrf_invalid', message: 'This form has expired or did not come from this site. Reload the page and try again.' },
});

/** Checks the synchronizer token of a write (csrf-sync ignores GET, HEAD and OPTIONS). */
export const checkCsrfToken: RequestHandler = (req, res, next) => {
  csrf.csrfSynchronisedProtection(req, res, (err?: unknown) => {
    if (err) return next(new Forbidden('This form has expired or did not come from this site. Reload the page and try again.', 'csrf_invalid'));
    next();
  });
};

/**
 * The app-wide check, for every write whatever its body type. It runs after
 * `acceptedBodies`, which has refused the body types a route does not take and parsed
 * the upload of the one route that takes a file, so the token is always in `req.body`.
 */
export const csrfProtection: RequestHandler = checkCsrfToken;

/** Gives views `csrfToken()`, which creates the session's token on first use. */
export const csrfTokenForViews: RequestHandler = (req, res, next) => {
  res.locals.csrfToken = () => csrf.generateToken(req);
  next();
};

/** After sign-in: a new session id (no fixation) and a new CSRF token. */
export async function startUserSession(req: Request, user: User): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
  req.session.userId = user.id;
  req.session.signedInAt = Date.now();
  csrf.generateToken(req, true);
  await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

export async function endUserSession(req: Request): Promise<void> {
  await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
}
