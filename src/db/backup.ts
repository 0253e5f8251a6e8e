import fs from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import type { Db } from './knex';

export interface BackupResult {
  file: string;
  bytes: number;
  /** Rows per table in the copy, as a quick check that it holds what it should. */
  rows: Record<string, number>;
}

/**
 * Writes a consistent copy of a live SQLite database to `target` with `VACUUM INTO`: one read
 * transaction, so the copy is the database as it stood at one moment, whatever writers (in this
 * process or others) do meanwhile, and readers and writers are not stopped. The copy is then
 * opened read-only and checked. Refuses to overwrite an existing file.
 */
export async function backupSqlite(db: Db, target: string): Promise<BackupResult> {
  const file = path.resolve(target);
  if (fs.existsSync(file)) throw new BackupError(`${target} exists already; choose a new file name.`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await db.raw('vacuum into ?', [file]);
  return { file, bytes: fs.statSync(file).size, rows: await checkSqliteCopy(file) };
}

/** Opens a copy read-only, runs SQLite's integrity check and counts the rows of each table. */
export async function checkSqliteCopy(file: string): Promise<Record<string, number>> {
  // Opened with the driver directly: knex's pool would switch the copy to WAL mode, a write.
  const copy = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(opened)));
  });
  const all = (sql: string) =>
    new Promise<Array<Record<string, unknown>>>((resolve, reject) =>
      copy.all(sql, (err, rows) => (err ? reject(err) : resolve(rows as Array<Record<string, unknown>>))),
    );
  try {
    const check = await all('pragma integrity_check');
    if (check.length !== 1 || check[0].integrity_check !== 'ok')
      throw new BackupError(`The copy failed SQLite's integrity check: ${JSON.stringify(check.slice(0, 5))}`);
    const tables = await all(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and sql not like 'CREATE VIRTUAL TABLE%' order by name",
    );
    const rows: Record<string, number> = {};
    for (const { name } of tables) {
      const [row] = await all(`select count(*) as n from "${String(name).replace(/"/g, '""')}"`);
      rows[String(name)] = Number(row.n);
    }
    return rows;
  } finally {
    await new Promise<void>((resolve) => copy.close(() => resolve()));
  }
}

/** A backup that cannot be made as asked; the message says why. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/** How to put a copy back, with this installation's paths. */
export function sqliteRestoreInstructions(backupFile: string, databaseFile: string): string {
  const db = path.resolve(databaseFile);
  return [
    'To restore this copy:',
    '  1. Stop every process of the app that uses the database (and any npm run import).',
    `  2. Keep the current file aside: mv ${db} ${db}.before-restore`,
    `     and remove its write-ahead log, if present: rm -f ${db}-wal ${db}-shm`,
    `  3. Put the copy in its place: cp ${backupFile} ${db}`,
    '  4. Start the app again; it migrates the copy forward if it is older than the code.',
  ].join('\n');
}

export const POSTGRES_BACKUP_HELP = [
  'On PostgreSQL, back up with the PostgreSQL tools: they take a consistent snapshot of a live database.',
  '  Back up:  pg_dump --format=custom --no-owner --file=tracker.dump "$DATABASE_URL"',
  '  Restore:  stop the app, then into an empty database:',
  '            pg_restore --no-owner --clean --if-exists --dbname="$DATABASE_URL" tracker.dump',
  '            and start the app again.',
  '  Check a dump without restoring it: pg_restore --list tracker.dump',
].join('\n');
