// First: sizes libuv's thread pool before anything starts it.
import './threadPool';
import type { Server } from 'node:http';
import { createApp } from './app';
import { type Config, ConfigError, loadConfig } from './lib/config';
import { createDb, type Db } from './db/knex';
import { prepareDatabase } from './seed/prepare';
import { createLogger, type Logger } from './lib/logger';
import { loadOrCreateSecret } from './accounts/secrets';
import { setupTokenIfNeeded } from './accounts/signIn';
import { startupDatabaseProblem } from './db/health';
import { trackConnections } from './http/drain';
import { DEFAULTS } from './lib/config';

export interface RunningServer {
  server: Server;
  db: Db;
  url: string;
  /** Drains and closes; true when every response finished within the drain timeout. */
  stop(): Promise<boolean>;
}

/** config -> db -> migrate -> demo data -> app -> listen. */
export async function startServer(config: Config, logger: Logger = createLogger(config)): Promise<RunningServer> {
  const db = createDb(config.database);
  // Migrations and the demo data under one lock, so instances starting together take turns.
  await prepareDatabase(db, config, logger);
  const sessionSecret = config.sessionSecret ?? (await loadOrCreateSecret(db, 'session'));
  const setupToken = await setupTokenIfNeeded(db);
  const app = createApp({ db, config: { ...config, sessionSecret }, logger });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const drainer = trackConnections(server);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  if (setupToken) {
    logger.warn('No user account exists yet.');
    // Printed plainly so it can be copied; it works once.
    console.log(`\nCreate the first admin account (this link works once):\n  ${url}/setup?token=${setupToken}\n`);
  }

  let stopping: Promise<boolean> | undefined;
  const drainMs = (config.shutdownDrainSeconds ?? DEFAULTS.shutdownDrainSeconds) * 1000;
  const stop = () =>
    (stopping ??= (async () => {
      // Stop accepting connections, let responses in flight finish (exports too), then close the database.
      const drained = await drainer.drain(drainMs);
      await db.destroy();
      return drained;
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
  // A promise some library forgot must cost at most its request, never the process: log it loudly.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  let running: RunningServer;
  try {
    running = await startServer(config, logger);
  } catch (err) {
    // An unreachable or unusable database is a setting problem: one line, no stack.
    const problem = startupDatabaseProblem(err);
    if (!problem) throw err;
    console.error(problem);
    process.exit(1);
  }
  logger.info({ url: running.url, database: config.database.client }, `Vendor Policy Tracker is listening on ${running.url}`);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      running.stop().then(
        (drained) => {
          if (!drained)
            logger.error({ drainSeconds: config.shutdownDrainSeconds }, 'responses still running after the drain timeout; they were cut');
          process.exit(drained ? 0 : 1);
        },
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
