import type { Db } from '../db/knex';
import { readDataVersion } from '../db/dataVersion';

/**
 * Answers remembered per database until its data changes: every write moves the
 * `data_version` counter (db/migrations/202611291420_data_version.ts), and an answer is
 * kept under the version it was computed at. For reads that must look at every row
 * (every vendor's status board, counts per jurisdiction) and are asked by many pages.
 */
const answers = new WeakMap<Db, Map<string, Promise<unknown>>>();
const KEPT = 300;

export async function whileUnchanged<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
  // Null (no counter to read): compute every time.
  const version = await readDataVersion(db);
  if (version === null) return compute();
  let cache = answers.get(db);
  if (!cache) answers.set(db, (cache = new Map()));
  const full = `${version}|${key}`;
  const hit = cache.get(full) as Promise<T> | undefined;
  if (hit) return hit;
  const pending = compute();
  cache.set(full, pending);
  pending.catch(() => cache.delete(full));
  // Oldest first out; answers of older versions are never asked for again.
  while (cache.size > KEPT) cache.delete(cache.keys().next().value as string);
  return pending;
}
