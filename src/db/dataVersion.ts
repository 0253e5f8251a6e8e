import type { Db } from './knex';

/**
 * The counter every committed write to what pages show moves (`data_version`, kept by
 * triggers: db/migrations/202611291420_data_version.ts and 202611291700), as text. Null when
 * it cannot be read (a schema without it, a database that failed the read): callers then
 * compute afresh instead of trusting anything they kept. The page cache, the timeline's kept
 * parts and the status memo all key on it.
 */
export async function readDataVersion(db: Db): Promise<string | null> {
  try {
    const row = (await db('data_version').where({ id: 1 }).first('n')) as { n: number | string } | undefined;
    return row ? String(row.n) : null;
  } catch {
    return null;
  }
}
