import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../db/health';
import { AppError, NotFound } from '../lib/errors';

function wantsJson(req: Parameters<RequestHandler>[0]): boolean {
  return req.path.startsWith('/api/') || req.path === '/healthz' || req.accepts(['html', 'json']) === 'json';
}

export class DatabaseUnavailable extends AppError {
  constructor() {
    super(503, 'database_unavailable', 'The database is not answering just now. Try again in a few seconds.', {
      headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
    });
  }
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new NotFound());
};

/**
 * Turns every error into a page (or JSON for the API). Expected errors show their
 * message; anything else is logged and answered with a plain 500, never a stack trace.
 */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let appError: AppError;
  if (err instanceof AppError) {
    appError = err;
  } else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500 && err.expose) {
    // body-parser and friends: malformed or oversized requests.
    appError = new AppError(err.status, err.type ?? 'bad_request', err.message);
  } else if (isDatabaseUnavailable(err)) {
    // The database is away or locked: this request gets a clear 503, nothing is wrong with the app.
    req.log?.warn({ err }, 'database unavailable');
    appError = new DatabaseUnavailable();
  } else {
    req.log?.error({ err }, 'unhandled error');
    appError = new AppError(500, 'internal_error', 'Something went wrong on our side. The error has been logged.');
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const [name, value] of Object.entries((appError.details.headers as Record<string, string>) ?? {})) res.setHeader(name, value);
  res.status(appError.status);
  if (wantsJson(req)) {
    res.json({ error: { code: appError.code, message: appError.message, ...withoutHeaders(appError.details) } });
    return;
  }
  res.render('errors/error', { title: titleFor(appError.status), error: appError });
};

function withoutHeaders(details: Record<string, unknown>): Record<string, unknown> {
  const { headers: _headers, ...rest } = details;
  return rest;
}

function titleFor(status: number): string {
  switch (status) {
    case 400:
      return 'Bad request';
    case 401:
      return 'Sign-in needed';
    case 403:
      return 'Not allowed';
    case 404:
      return 'Not found';
    case 409:
      return 'Conflict';
    case 413:
      return 'Too large';
    case 429:
      return 'Too many attempts';
    case 503:
      return 'Try again shortly';
    default:
      return status >= 500 ? 'Server error' : 'Request refused';
  }
}
