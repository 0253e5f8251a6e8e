import type { Db } from '../db/knex';

/**
 * The counter every write to what pages show moves (`data_version`, kept by triggers, see
 * db/migrations/202611291420_data_version.ts), as text; null when it cannot be read (an
 * older schema), so callers then compute afresh.
 */
export async function readDataVersion(db: Db): Promise<string | null> {
  try {
    const row = (await db('data_version').where({ id: 1 }).first('n')) as { n: number | string } | undefined;
    return row ? String(row.n) : null;
  } catch {
    return null;
  }
}
