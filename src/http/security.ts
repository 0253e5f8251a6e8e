import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { AppError } from '../lib/errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isWrite = (req: Request) => !SAFE_METHODS.has(req.method);

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

export function expectedOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host')}`;
}

/** Refuses writes that a browser says come from another site. */
export const sameOriginWrites: RequestHandler = (req, _res, next) => {
  if (!isWrite(req)) return next();
  const origin = req.get('origin');
  if (origin !== undefined) {
    if (origin !== expectedOrigin(req))
      return next(new Forbidden('This request came from another site and was refused.', 'foreign_origin'));
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
    if (refOrigin !== expectedOrigin(req))
      return next(new Forbidden('This request came from another site and was refused.', 'foreign_origin'));
  }
  next();
};

const csrf = csrfSync({
  getTokenFromRequest: (req) => (typeof req.body?._csrf === 'string' ? req.body._csrf : undefined),
  errorConfig: {
    statusCode: 403,
    code: 'csrf_invalid',
    message: 'This form has expired or did not come from this site. Reload the page and try again.',
  },
});

/** Checks the synchronizer token of a write (csrf-sync ignores GET, HEAD and OPTIONS). */
export const checkCsrfToken: RequestHandler = (req, res, next) => {
  csrf.csrfSynchronisedProtection(req, res, (err?: unknown) => {
    if (err)
      return next(new Forbidden('This form has expired or did not come from this site. Reload the page and try again.', 'csrf_invalid'));
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

/** A fresh CSRF token for the session, e.g. after sign-in gave it a new id. */
export function renewCsrfToken(req: Request): void {
  csrf.generateToken(req, true);
}
