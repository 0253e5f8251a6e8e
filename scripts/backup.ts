/**
 * Backs up the database while the app keeps running:
 *   npm run backup -- FILE     SQLite: writes a consistent copy to FILE and says how to restore it
 * On PostgreSQL it explains the pg_dump / pg_restore commands instead.
 */
import { parseArgs } from 'node:util';
import { runScript } from './run';
import { loadConfig } from '../src/lib/config';
import { BackupError, backupSqlite, POSTGRES_BACKUP_HELP, sqliteRestoreInstructions } from '../src/db/backup';
import { createDb } from '../src/db/knex';
import { formatSize } from '../src/lib/size';

const USAGE = 'usage: npm run backup -- FILE';

async function main(): Promise<number> {
  let positionals: string[];
  try {
    positionals = parseArgs({ allowPositionals: true, options: {} }).positionals;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  if (config.database.client === 'postgres') {
    console.error(POSTGRES_BACKUP_HELP);
    return 2;
  }
  if (positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const [file] = positionals;
  // A large database takes a while to copy: no statement budget here.
  const db = createDb(config.database, { statementTimeoutMs: 0 });
  try {
    const result = await backupSqlite(db, file);
    const rows = Object.values(result.rows).reduce((a, b) => a + b, 0);
    console.log(
      `Backed up ${config.database.filename} to ${result.file}: ${formatSize(result.bytes)}, ${Object.keys(result.rows).length} tables, ${rows} rows; integrity check ok.`,
    );
    console.log(sqliteRestoreInstructions(result.file, config.database.filename));
    return 0;
  } catch (err) {
    if (err instanceof BackupError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await db.destroy();
  }
}

runScript(main);
