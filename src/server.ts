import type { Server } from 'node:http';
import { createApp } from './app';
import { type Config, ConfigError, loadConfig } from './config';
import { createDb, type Db } from './db/knex';
import { migrateLatest } from './db/migrate';
import { createLogger, type Logger } from './logger';
import { isEmptyDatabase, loadDemoData } from './seed/loadDemoData';
import { loadOrCreateSecret } from './auth/secrets';
import { setupTokenIfNeeded } from './auth/service';

export interface RunningServer {
  server: Server;
  db: Db;
  url: string;
  stop(): Promise<void>;
}

/** config -> db -> migrate -> demo data -> app -> listen. */
export async function startServer(config: Config, logger: Logger = createLogger(config)): Promise<RunningServer> {
  const db = createDb(config.database);
  await migrateLatest(db);
  if (config.loadDemoData && (await isEmptyDatabase(db))) {
    const loaded = await loadDemoData(db);
    logger.info({ loaded }, 'loaded the demo data');
  }
  const sessionSecret = config.sessionSecret ?? (await loadOrCreateSecret(db, 'session'));
  const setupToken = await setupTokenIfNeeded(db);
  const app = createApp({ db, config: { ...config, sessionSecret }, logger });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  if (setupToken) {
    logger.warn('No user account exists yet.');
    // Printed plainly so it can be copied; it works once.
    console.log(`\nCreate the first admin account (this link works once):\n  ${url}/setup?token=${setupToken}\n`);
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // Stop accepting connections, let requests in flight finish, then close the database.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await db.destroy();
    })());
  return { server, db, url, stop };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config);
  const running = await startServer(config, logger);
  logger.info({ url: running.url, database: config.database.client }, `Vendor Policy Tracker is listening on ${running.url}`);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      const force = setTimeout(() => {
        logger.error('requests still running after 10 s; exiting anyway');
        process.exit(1);
      }, 10_000);
      force.unref();
      running.stop().then(
        () => process.exit(0),
        (err) => {
          logger.error({ err }, 'error while shutting down');
          process.exit(1);
        },
      );
    });
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
