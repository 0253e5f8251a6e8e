import session, { type SessionData, Store } from 'express-session';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Db } from '../db/knex';
import type { Logger } from '../lib/logger';
import type { AppContext } from './context';
import { AppError } from '../lib/errors';

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

/** Seconds a client should wait before trying again after the session store failed. */
export const SESSION_RETRY_AFTER_SECONDS = 5;

/** The session store could not be read or written: this request gets a 503, the process carries on. */
export class SessionStoreUnavailable extends AppError {
  constructor(readonly cause: unknown) {
    super(503, 'session_store_unavailable', 'Sign-ins cannot be read just now. Try again in a few seconds.', {
      headers: { 'Retry-After': String(SESSION_RETRY_AFTER_SECONDS) },
    });
  }
}

type Callback<T = void> = (err?: unknown, value?: T) => void;

/** How many sessions' stored expiries a store remembers to spare touches; past it, the least recently seen are forgotten (and simply written). */
const REMEMBERED_EXPIRIES = 10_000;

export interface SessionStoreOptions {
  /** How often expired sessions are deleted; 0: never (tests). */
  cleanupIntervalMs?: number;
  /**
   * A touch (the idle timeout's "push the expiry forward") is written only when it moves the
   * stored expiry by at least this much; 0: every time. Without it every signed-in page view
   * was a write, which on SQLite waits for the one writer (an import holds it for minutes).
   */
  touchAfterMs?: number;
}

/**
 * express-session's store in the app's own `sessions` table (the shape connect-session-knex
 * made), so several processes share sign-ins. Written here rather than used from
 * connect-session-knex because that store rethrows from promises express-session drops
 * (an unhandled rejection ends the process) and never recovers from a failed start.
 * Every method reports through its callback only. Sessions are read from the table on every
 * request, so the store works again as soon as the database does; the one thing kept between
 * calls is each session's stored expiry, to tell whether a touch is worth writing.
 */
export class KnexSessionStore extends Store {
  private cleanupTimer?: NodeJS.Timeout;
  private readonly touchAfterMs: number;
  /** sid -> the expiry (ms) this process last read or wrote for it, least recently seen first. */
  private readonly storedExpiry = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    { cleanupIntervalMs = 15 * 60_000, touchAfterMs = 0 }: SessionStoreOptions = {},
  ) {
    super();
    this.touchAfterMs = touchAfterMs;
    if (cleanupIntervalMs > 0) {
      this.cleanupTimer = setInterval(() => void this.removeExpired(), cleanupIntervalMs);
      this.cleanupTimer.unref();
    }
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    this.report(this.read(sid), callback);
  }

  override set(sid: string, data: SessionData, callback?: Callback): void {
    this.report(this.write(sid, data), callback);
  }

  /**
   * Best effort: express-session touches after the page has been sent, when an error can
   * only cut the response. A missed touch leaves the previous expiry, which is harmless.
   */
  override touch(sid: string, data: SessionData, callback?: Callback): void {
    const stored = this.storedExpiry.get(sid);
    if (stored !== undefined && Date.parse(expiryOf(data)) - stored < this.touchAfterMs) {
      callback?.();
      return;
    }
    this.extend(sid, data)
      .then(
        () => callback?.(),
        (err: unknown) => {
          this.logger.warn({ err }, 'could not extend a session; it keeps its previous expiry');
          callback?.();
        },
      )
      .catch((err: unknown) => this.logger.error({ err }, 'error after a session store call'));
  }

  override destroy(sid: string, callback?: Callback): void {
    this.storedExpiry.delete(sid);
    this.report(
      this.db('sessions')
        .where({ sid })
        .del()
        .then(() => undefined),
      callback,
    );
  }

  /** Stops the periodic clean-up (tests and shutdown). */
  close(): void {
    if (this.cleanupTimer) clearInterval(this.cleanupTimer);
  }

  async removeExpired(): Promise<void> {
    try {
      await this.db('sessions').where('expired', '<', new Date().toISOString()).del();
    } catch (err) {
      this.logger.warn({ err }, 'could not remove expired sessions');
    }
  }

  private async read(sid: string): Promise<SessionData | null> {
    const row = await this.db('sessions').where({ sid }).andWhere('expired', '>', new Date().toISOString()).first('sess', 'expired');
    if (!row) return null;
    this.remember(sid, row.expired as string | Date);
    // A json column comes back parsed on PostgreSQL and as text on SQLite.
    return typeof row.sess === 'string' ? (JSON.parse(row.sess) as SessionData) : (row.sess as SessionData);
  }

  private async write(sid: string, data: SessionData): Promise<void> {
    const row = { sid, sess: JSON.stringify(data), expired: expiryOf(data) };
    const content = contentOf(data);
    await this.db('sessions').insert(row).onConflict('sid').merge(['sess', 'expired']);
    storedContent.set(data, content);
    this.remember(sid, row.expired);
  }

  private async extend(sid: string, data: SessionData): Promise<void> {
    const expired = expiryOf(data);
    await this.db('sessions').where({ sid }).update({ expired });
    this.remember(sid, expired);
  }

  /** Notes a session's stored expiry (text on SQLite, a Date on PostgreSQL), as the most recently seen. */
  private remember(sid: string, expired: string | Date): void {
    this.storedExpiry.delete(sid);
    this.storedExpiry.set(sid, new Date(expired).getTime());
    if (this.storedExpiry.size > REMEMBERED_EXPIRIES) this.storedExpiry.delete(this.storedExpiry.keys().next().value as string);
  }

  /** Settles a store call through its callback, exactly once; the promise never rejects unheard. */
  private report<T>(work: Promise<T>, callback?: Callback<T>): void {
    work
      .then(
        (value) => callback?.(undefined, value),
        (err: unknown) => {
          this.logger.warn({ err }, 'session store failed');
          callback?.(new SessionStoreUnavailable(err));
        },
      )
      // express-session's callbacks run the rest of the request; whatever they throw is logged, not dropped.
      .catch((err: unknown) => this.logger.error({ err }, 'error after a session store call'));
  }
}

function expiryOf(data: SessionData): string {
  const expires = data.cookie?.expires ? new Date(data.cookie.expires) : new Date(Date.now() + 86_400_000);
  return expires.toISOString();
}

/** What a session holds apart from its cookie: what express-session compares to tell whether it changed. */
function contentOf(sess: object): string {
  return JSON.stringify(sess, function (this: unknown, key: string, value: unknown) {
    return this === sess && key === 'cookie' ? undefined : value;
  });
}

/** A session just made (or regenerated) and given nothing yet. */
const FRESH = '{}';

/** For each session object, what this process last stored of it (set when the store's write succeeded). */
const storedContent = new WeakMap<object, string>();

/**
 * Redirects wait until a changed session is stored. express-session stores a changed session
 * when the response ends, but sends the status and headers first and holds back only the last
 * byte of the body until the store answers. A browser follows a redirect as soon as it has the
 * headers, so after a form's Post/Redirect/Get the next page could read the session before the
 * write that set its flash ("Event saved.") was committed: the page came without its message
 * (which then showed on a later page), whenever the database was slow to take the write.
 */
function storeBeforeRedirect(req: Request, res: Response, next: NextFunction): void {
  const loaded = req.session as object | undefined;
  const loadedContent = loaded ? contentOf(loaded) : FRESH;
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = function redirectOnceStored(...args: unknown[]) {
    const sess = req.session;
    if (!sess) return redirect(...args);
    const content = contentOf(sess);
    const unchanged = content === (sess === loaded ? loadedContent : FRESH) || storedContent.get(sess) === content;
    if (unchanged) return redirect(...args);
    sess.save((err) => {
      if (!err) return redirect(...args);
      // To the error handler from where the redirect was asked for (the route's router): a 503.
      (req.next ?? next)(err instanceof SessionStoreUnavailable ? err : new SessionStoreUnavailable(err));
    });
  } as Response['redirect'];
  next();
}

/** express-session kept in the app's own database, so several processes share sign-ins. */
export function sessionMiddleware(ctx: AppContext, secret: string): RequestHandler {
  const sessions = expressSession(ctx, secret);
  return (req, res, next) => sessions(req, res, (err?: unknown) => (err ? next(err) : storeBeforeRedirect(req, res, next)));
}

function expressSession(ctx: AppContext, secret: string): RequestHandler {
  return session({
    name: SESSION_COOKIE,
    secret,
    // The stored expiry trails the cookie's by at most a minute (a tenth of a short idle timeout).
    store: new KnexSessionStore(ctx.db, ctx.logger, { touchAfterMs: Math.min(60_000, (ctx.config.sessionIdleMinutes * 60_000) / 10) }),
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
