import type { Request, RequestHandler } from 'express';
import { AppError } from '../lib/errors';

/** A route that takes a file upload, and the parser that reads its body. */
export interface UploadRoute {
  path: string;
  parse: RequestHandler;
}

const FORM = 'application/x-www-form-urlencoded';
const MULTIPART = 'multipart/form-data';

type BodyKind = 'none' | typeof FORM | typeof MULTIPART | 'other';

export class UnsupportedBody extends AppError {
  constructor(message: string, code = 'unsupported_body') {
    super(415, code, message);
  }
}

function mediaTypeOf(req: Request): string {
  return (req.get('content-type') ?? '').split(';', 1)[0].trim().toLowerCase();
}

function hasBodyBytes(req: Request): boolean {
  const length = req.get('content-length');
  return req.get('transfer-encoding') !== undefined || (length !== undefined && length.trim() !== '0');
}

function bodyKindOf(req: Request): BodyKind {
  const type = mediaTypeOf(req);
  if (type === '') return hasBodyBytes(req) ? 'other' : 'none';
  return type === FORM || type === MULTIPART ? type : 'other';
}

// Express matches routes case-insensitively and with or without a trailing slash.
const routeKey = (path: string) => path.toLowerCase().replace(/(.)\/+$/, '$1');

/** Logs a refused body as a warning (the client’s fault, not ours) and returns the error, for `next`. */
export function refuseBody(req: Request, error: AppError): AppError {
  req.log?.warn(
    {
      code: error.code,
      status: error.status,
      contentType: req.get('content-type') ?? null,
      contentEncoding: req.get('content-encoding') ?? null,
    },
    error.message,
  );
  return error;
}

/**
 * The body types the app reads on writes. Every write takes an ordinary form
 * (urlencoded) or no body; only the upload routes also take multipart, which is parsed here,
 * before the CSRF check, so the token inside it is checked like any other. Anything
 * else gets a 415 naming what is expected, instead of reaching a route with no body.
 */
export function acceptedBodies(uploads: readonly UploadRoute[]): RequestHandler {
  const byPath = new Map(uploads.map((u) => [routeKey(u.path), u.parse]));
  return (req, res, next) => {
    // Express 5 leaves the body undefined when no parser ran; routes may read fields of it.
    if (req.body === undefined || req.body === null || typeof req.body !== 'object') req.body = {};
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const upload = req.method === 'POST' ? byPath.get(routeKey(req.path)) : undefined;
    const kind = bodyKindOf(req);
    if (kind === 'none') return next();
    if (!upload) {
      if (kind === FORM) return next();
      return next(
        refuseBody(
          req,
          new UnsupportedBody(
            `This address takes an ordinary form (${FORM}); a ${kind === 'other' ? mediaTypeOf(req) || 'body without a Content-Type' : kind} body is not accepted.`,
          ),
        ),
      );
    }
    // An ordinary form carries no file: the route asks for one.
    if (kind === FORM) return next();
    if (kind !== MULTIPART)
      return next(
        refuseBody(
          req,
          new UnsupportedBody(
            `This address takes a file upload (${MULTIPART}); a ${mediaTypeOf(req) || 'body without a Content-Type'} body is not accepted.`,
          ),
        ),
      );
    const encoding = (req.get('content-encoding') ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity')
      return next(
        refuseBody(
          req,
          new UnsupportedBody(`Send the upload without Content-Encoding (${encoding} is not accepted).`, 'unsupported_encoding'),
        ),
      );
    upload(req, res, next);
  };
}
