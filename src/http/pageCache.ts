import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppContext } from './context';
import { SESSION_COOKIE } from './session';
import { readDataVersion } from '../db/dataVersion';
import { entityTag, sendTagged } from './entityTag';

/**
 * Serves public pages to anonymous readers from memory until the data behind them changes.
 *
 * Every write to what pages show moves one counter in the database (`data_version`, kept by
 * triggers, so the import, the demo loader and other processes move it too). A cached page
 * is reused while the counter still reads what it read before the page was rendered: the
 * counter is read first and only moves once a write is committed, so a stored page is never
 * older than its version, only sometimes newer (then it is rendered again, not served stale).
 *
 * Only anonymous GETs (no session cookie) of pages that answered 200 without setting a
 * cookie are kept: signed-in pages carry a CSRF token and the user's name.
 */
export interface PageCacheOptions {
  /** Total bytes of bodies kept; the least recently used go first. */
  maxBytes?: number;
  /** Bodies larger than this are never kept. */
  maxEntryBytes?: number;
}

interface Entry {
  version: string;
  contentType: string;
  body: Buffer;
  /** Its ETag, made once when it was kept (src/http/entityTag.ts). */
  tag: string | undefined;
}

/** Addresses never cached: forms, downloads (streamed), history pages, search, health. */
const UNCACHED = /^\/(login|logout|setup|imports|admin|trash|search|healthz|assets)(\/|$)|\.csv$|\/history$|\/(new|edit)$/;
const CACHEABLE_TYPE = /^(text\/html|application\/json|application\/atom\+xml|image\/svg\+xml)/;

/** Responses whose body this cache wants to keep, so it must reach `send` whole. */
const keeping = new WeakSet<Response>();

/** Whether the page cache waits for this response's body in `send` (see sendParts). */
export function keepsBody(res: Response): boolean {
  return keeping.has(res);
}

export function anonymousPageCache(ctx: AppContext, options: PageCacheOptions = {}): RequestHandler {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const maxEntryBytes = options.maxEntryBytes ?? 2 * 1024 * 1024;
  const entries = new Map<string, Entry>();
  let bytes = 0;

  const remember = (key: string, entry: Entry) => {
    const old = entries.get(key);
    if (old) {
      bytes -= old.body.length;
      entries.delete(key);
    }
    entries.set(key, entry);
    bytes += entry.body.length;
    for (const [k, e] of entries) {
      if (bytes <= maxBytes) break;
      entries.delete(k);
      bytes -= e.body.length;
    }
  };

  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || UNCACHED.test(req.path) || hasSessionCookie(req)) return next();
    // Without the counter (an older schema, a busy database) the page is rendered as usual.
    const version = await readDataVersion(ctx.db);
    if (version === null) return next();
    // Feeds and embeds name the host they were asked on; pages defaulting to today change at midnight.
    const key = `${new Date().toISOString().slice(0, 10)} ${req.protocol}://${req.get('host') ?? ''}${req.originalUrl}`;
    const hit = entries.get(key);
    if (hit && hit.version === version) {
      // Most recently used last, so the oldest are evicted first.
      entries.delete(key);
      entries.set(key, hit);
      res.type(hit.contentType);
      sendTagged(res, hit.body, hit.tag);
      return;
    }
    const send = res.send.bind(res);
    keeping.add(res);
    res.send = (body?: unknown) => {
      // A rendered page reaches send() before express gives it its HTML type.
      const contentType = String(res.getHeader('Content-Type') ?? (typeof body === 'string' ? 'text/html; charset=utf-8' : ''));
      if (
        res.statusCode === 200 &&
        !res.getHeader('Set-Cookie') &&
        CACHEABLE_TYPE.test(contentType) &&
        (typeof body === 'string' || Buffer.isBuffer(body))
      ) {
        const buffer = typeof body === 'string' ? Buffer.from(body) : body;
        if (buffer.length <= maxEntryBytes) {
          const tag = entityTag(req.app, buffer);
          remember(key, { version, contentType, body: buffer, tag });
          // The same tag express would make; set here, it is not made a second time.
          if (tag !== undefined) res.setHeader('ETag', tag);
        }
      }
      return send(body);
    };
    next();
  };
}

function hasSessionCookie(req: Request): boolean {
  const cookie = req.headers.cookie;
  return !!cookie && cookie.includes(`${SESSION_COOKIE}=`);
}
