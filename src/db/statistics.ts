import { type Db, isPostgres } from './knex';

/**
 * Refreshes PostgreSQL's statistics (ANALYZE of every table: the import writes nearly all of
 * them, and the others are small), as its manual advises after a bulk load. Until autovacuum
 * gets to them (a minute or more after the commit; never where it is turned off) the planner
 * has none for rows a large import just wrote, and guesses: on a million events fresh from one
 * import, an import of updates read the vendor links with a sequential scan per batch (60 ms
 * each, a quarter of its time) instead of by the events' keys. SQLite's planner does not need
 * them for these queries, so nothing is done there.
 */
export async function refreshStatistics(db: Db): Promise<void> {
  if (!isPostgres(db)) return;
  await db.transaction(async (trx) => {
    // Sampling a large table may take longer than a page's statement budget.
    await trx.raw('set local statement_timeout = 0');
    await trx.raw('analyze');
  });
}
