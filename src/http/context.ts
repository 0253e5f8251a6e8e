import type { Config } from '../lib/config';
import type { Db } from '../db/knex';
import type { Logger } from '../lib/logger';

/** What every router is built with. */
export interface AppContext {
  db: Db;
  config: Config;
  logger: Logger;
}
