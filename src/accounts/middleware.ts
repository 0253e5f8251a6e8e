import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppContext } from '../http/context';
import { expectedOrigin, Forbidden, isWrite, renewCsrfToken, safeNextPath } from '../http/security';
import type { Editor } from '../history/repo';
import { AppError } from '../lib/errors';
import type { Role, User } from './repo';
import { activeUser } from './signIn';

/**
 * Who is signed in, and what they may do: the identity half of the request pipeline.
 * The HTTP half (same-origin writes, CSRF tokens, safe `next` paths) is in http/security.
 */

declare module 'express-serve-static-core' {
  interface Request {
    user?: User;
  }
}

const ROLE_RANK: Record<Role, number> = { analyst: 1, admin: 2 };

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
    // HEAD as GET: its headers (Content-Length, ETag) must be those of the GET.
    res.locals.currentPath = req.method === 'GET' || req.method === 'HEAD' ? req.originalUrl : '/';
    if (req.session?.flash) {
      res.locals.flash = req.session.flash;
      delete req.session.flash;
    }
    next();
  };
}

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
    if (ROLE_RANK[req.user.role] < ROLE_RANK[role])
      return next(new Forbidden(role === 'admin' ? 'Only admins may do this.' : 'Your account may not do this.'));
    next();
  };
}

/** After sign-in: a new session id (no fixation) and a new CSRF token. */
export async function startUserSession(req: Request, user: User): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
  req.session.userId = user.id;
  req.session.signedInAt = Date.now();
  renewCsrfToken(req);
  await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

export async function endUserSession(req: Request): Promise<void> {
  await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
}

/** The signed-in user as the history records them (routes behind requireRole only). */
export function editorOf(req: Request): Editor {
  if (!req.user) throw new Error('editorOf needs a signed-in user');
  return { id: req.user.id, displayName: req.user.displayName };
}
