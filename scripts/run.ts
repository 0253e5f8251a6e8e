import { startupDatabaseProblem } from '../src/db/health';

/**
 * Runs a command-line entry point: its result is the exit code. A database that cannot be
 * used prints one line naming DATABASE_URL; any other crash prints in full and exits 1.
 */
export function runScript(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(startupDatabaseProblem(err) ?? err);
      process.exit(1);
    },
  );
}
