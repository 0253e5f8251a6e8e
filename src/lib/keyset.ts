import { BadParameter } from './errors';

/**
 * Keyset paging: a page ends at the sort key of its last row, and the next page starts
 * after that key, so reading page n costs what page n shows (OFFSET would read and drop
 * every row before it). Keys travel in URLs as opaque base64url text.
 */
export type PageKey = ReadonlyArray<string | number>;

export function encodePageKey(key: PageKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Reads a key made by encodePageKey whose parts have the given kinds; a 400 naming `parameter` otherwise. */
export function decodePageKey<K extends ReadonlyArray<'string' | 'number'>>(
  value: string,
  kinds: K,
  parameter: string,
): { [I in keyof K]: K[I] extends 'number' ? number : string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const ok =
    Array.isArray(parsed) &&
    parsed.length === kinds.length &&
    parsed.every((part, i) => (kinds[i] === 'number' ? Number.isSafeInteger(part) : typeof part === 'string' && part.length <= 1000));
  if (!ok) throw new BadParameter(parameter, 'use the link of the previous page');
  return parsed as { [I in keyof K]: K[I] extends 'number' ? number : string };
}

/** A page of rows and the key to continue after it (null on the last page). */
export interface KeysetPage<T> {
  items: T[];
  next: string | null;
}

/** Cuts `rows` (fetched with one row more than `limit`) into a page and the key after it. */
export function keysetPage<T>(rows: T[], limit: number, keyOf: (row: T) => PageKey): KeysetPage<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > limit && last !== undefined ? encodePageKey(keyOf(last)) : null };
}
