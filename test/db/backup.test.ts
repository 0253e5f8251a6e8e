import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backupSqlite } from '../../src/db/backup';
import { createDb, type Db } from '../../src/db/knex';
import { createTestDb, type TestDb } from '../helpers/testDb';
import { loadDemoData } from '../../src/seed/loadDemoData';

jest.setTimeout(120000);

/** Every table's rows, in primary-key order, so two databases can be compared whole. */
async function dump(db: Db): Promise<Record<string, unknown[]>> {
  const tables: Array<{ name: string }> = await db.raw(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
  );
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables) out[name] = await db.raw(`select * from "${name}" order by 1, 2`);
  return out;
}

describe('npm run backup on SQLite', () => {
  let t: TestDb;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDb('sqlite');
    await loadDemoData(t.db);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpt-backup-'));
  });
  afterAll(async () => {
    await t.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies a database while another process writes to it; the restored copy is the database at one moment', async () => {
    // Another app instance keeps writing, each write a transaction touching two tables.
    const writer = createDb(t.database);
    let stop = false;
    let written = 0;
    const writes = (async () => {
      while (!stop) {
        await writer.transaction(async (trx) => {
          const name = `backup-race-${written}`;
          await trx('app_secrets').insert({ name, value: name, created_at: '2026-11-29T00:00:00.000Z' });
          await trx('login_throttle').insert({ key: name, failures: written, window_started_at: '2026-11-29T00:00:00.000Z' });
        });
        written++;
      }
    })();
    try {
      while (written < 20) await new Promise((resolve) => setTimeout(resolve, 10));
      const result = await backupSqlite(t.db, path.join(dir, 'copy.sqlite'));
      const afterBackup = written;
      while (written < afterBackup + 20) await new Promise((resolve) => setTimeout(resolve, 10));
      stop = true;
      await writes;
      expect(result.rows.events).toBeGreaterThan(0);

      // Restore: the copy becomes the database file of a new installation.
      const restoredFile = path.join(dir, 'restored.sqlite');
      fs.copyFileSync(result.file, restoredFile);
      const restored = createDb({ client: 'sqlite', filename: restoredFile });
      try {
        const [copy, live] = [await dump(restored), await dump(t.db)];
        expect(Object.keys(copy)).toEqual(Object.keys(live));
        // The copy holds the same prefix of the racing writes in both tables: no torn transaction.
        const raced = (copy.app_secrets as Array<{ name: string }>).filter((r) => r.name.startsWith('backup-race-')).length;
        expect(raced).toBeGreaterThanOrEqual(20);
        expect(raced).toBeLessThan(written);
        expect((copy.login_throttle as unknown[]).length).toBe(raced);
        for (const table of Object.keys(live)) {
          if (table === 'app_secrets' || table === 'login_throttle') {
            // The first `raced` writes, exactly as the live database has them.
            const key = (row: unknown) => Object.values(row as object)[0] as string;
            const inCopy = new Set(copy[table].map(key));
            expect(copy[table]).toEqual(live[table].filter((row) => inCopy.has(key(row))));
            const racedKeys = [...inCopy].filter((k) => k.startsWith('backup-race-')).sort();
            expect(racedKeys).toEqual(Array.from({ length: raced }, (_, i) => `backup-race-${i}`).sort());
          } else {
            expect({ table, rows: copy[table] }).toEqual({ table, rows: live[table] });
          }
        }
      } finally {
        await restored.destroy();
      }
    } finally {
      stop = true;
      await writes;
      await writer.destroy();
    }
  });

  it('refuses to overwrite a file', async () => {
    const file = path.join(dir, 'taken.sqlite');
    fs.writeFileSync(file, 'keep me');
    await expect(backupSqlite(t.db, file)).rejects.toThrow('exists already');
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('the command writes the copy and prints how to restore it', async () => {
    const file = path.join(dir, 'from-the-command.sqlite');
    const root = path.resolve(__dirname, '../..');
    const child = spawn(process.execPath, ['-r', './test/helpers/childRegister.js', 'scripts/backup.ts', file], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: t.database.client === 'sqlite' ? t.database.filename : '', LOG_LEVEL: 'silent' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toContain(`to ${file}`);
    expect(out).toContain('integrity check ok');
    expect(out).toContain('To restore this copy:');
    expect(fs.existsSync(file)).toBe(true);
  });

  it('on PostgreSQL the command explains pg_dump and pg_restore', async () => {
    const root = path.resolve(__dirname, '../..');
    const child = spawn(process.execPath, ['-r', './test/helpers/childRegister.js', 'scripts/backup.ts', 'unused.dump'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(err).toContain('pg_dump --format=custom');
    expect(err).toContain('pg_restore');
  });
});
