import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import { loadDemoData } from './loadDemoData';
import type { Db } from '../db/knex';
import { migrateInTransaction, withPrepareLock } from '../db/migrate';

/**
 * Brings a database up to date before the app serves from it: migrations, then the demo data
 * when the config asks for it. Several processes may start at once on the same database (a
 * restart loop, several instances behind a load balancer): they take turns under one lock,
 * and the demo load is idempotent, so every one of them comes up and the schema and the demo
 * rows exist once.
 */
export async function prepareDatabase(db: Db, config: Pick<Config, 'loadDemoData'>, logger: Logger): Promise<void> {
  await withPrepareLock(db, async (trx) => {
    await migrateInTransaction(trx);
    if (!config.loadDemoData) return;
    const loaded = await loadDemoData(trx);
    if (Object.values(loaded).some((n) => Number(n) > 0)) logger.info({ loaded }, 'loaded the demo data');
  });
}
