// One app process for the start-up race test: starts from the environment like `npm start`,
// says where it listens, then stops. Run with `node -r ./test/db/child/register.js`.
import { loadConfig } from '../../../src/lib/config';
import { createLogger } from '../../../src/lib/logger';
import { startServer } from '../../../src/server';

async function main(): Promise<void> {
  const config = loadConfig();
  const running = await startServer(config, createLogger(config));
  process.stdout.write(`READY ${running.url}\n`);
  await running.stop();
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`FAILED ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
