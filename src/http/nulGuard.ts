import type { RequestHandler } from 'express';
import { AppError, BadParameter, NotFound } from '../lib/errors';

function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNul);
  if (value && typeof value === 'object') return Object.values(value).some(hasNul);
  return false;
}

/**
 * No text the app stores or looks up may hold a NUL character: PostgreSQL refuses it
 * outright. Refusing it here, for the path, the query and the form body alike, gives the
 * same clear 400 on both databases instead of a driver error.
 */
export const refuseNulCharacters: RequestHandler = (req, _res, next) => {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    return next(new AppError(400, 'bad_path', 'The address is not valid.'));
  }
  // No record's address can hold one.
  if (path.includes('\u0000')) return next(new NotFound());
  const param = Object.keys(req.query).find((k) => k.includes('\u0000') || hasNul(req.query[k]));
  if (param !== undefined)
    return next(new BadParameter(param.replace(/\u0000/g, ''), 'contains a NUL character, which no parameter accepts'));
  if (hasNul(req.body)) return next(new AppError(400, 'nul_character', 'The form contains a NUL character, which no field accepts.'));
  next();
};
