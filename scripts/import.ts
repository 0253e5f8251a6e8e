/**
 * Imports an events CSV (the export's format) from the command line:
 *   npm run import -- events.csv --dry-run    check the file and show what would change
 *   npm run import -- events.csv              apply it, all rows or none
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { runScript } from './run';
import { loadConfig } from '../src/config';
import { formatSize } from '../src/lib/size';
import { createDb } from '../src/db/knex';
import { migrateLatest } from '../src/db/migrate';
import { AppError } from '../src/http/errors';
import { applyImport } from '../src/imports/apply';
import { ImportFileError, parseEventsCsv } from '../src/imports/parse';
import { type InvalidRow, planImport } from '../src/imports/plan';

const USAGE = 'usage: npm run import -- FILE.csv [--dry-run]';

/** A one-line progress bar on stderr, redrawn in place on a terminal, every 10% otherwise. */
function progressBar(label: string) {
  let lastTenth = -1;
  return (done: number, total: number) => {
    const ratio = total ? done / total : 1;
    if (process.stderr.isTTY) {
      const width = 30;
      const filled = Math.round(ratio * width);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${Math.floor(ratio * 100)}% ${done}/${total}`);
      if (done === total) process.stderr.write('\n');
    } else if (Math.floor(ratio * 10) !== lastTenth) {
      lastTenth = Math.floor(ratio * 10);
      process.stderr.write(`${label}: ${Math.floor(ratio * 100)}% (${done}/${total})\n`);
    }
  };
}

function printInvalid(invalid: InvalidRow[]): void {
  console.error(`${invalid.length} row(s) cannot be imported:`);
  for (const row of invalid) console.error(`  line ${row.line}${row.id ? ` (${row.id})` : ''}: ${row.reasons.join('; ')}`);
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { 'dry-run': { type: 'boolean', default: false } } });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const [file] = parsed.positionals;
  if (!file || parsed.positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  let content: Buffer;
  try {
    const size = fs.statSync(file).size;
    if (size > config.importMaxBytes) throw new ImportFileError('file_too_large', `${file} is ${formatSize(size)}; the limit is ${formatSize(config.importMaxBytes)} (IMPORT_MAX_MB).`);
    content = fs.readFileSync(file);
  } catch (err) {
    console.error(err instanceof ImportFileError ? err.message : `Cannot read ${file}: ${(err as Error).message}`);
    return 1;
  }
  const db = createDb(config.database);
  try {
    await migrateLatest(db);
    const rows = parseEventsCsv(content, config.importMaxBytes);
    if (parsed.values['dry-run']) {
      const plan = await planImport(db, rows, progressBar('checking'));
      const count = (a: string) => plan.rows.filter((r) => r.action === a).length;
      console.log(`${file}: ${rows.length} rows. Would create ${count('create')}, update ${count('update')}, leave ${count('unchanged')} unchanged.`);
      if (plan.newVendors.length) console.log(`New vendors: ${plan.newVendors.join(', ')}`);
      if (plan.newActors.length) console.log(`New actors: ${plan.newActors.join(', ')}`);
      if (plan.newSources.length) console.log(`New sources: ${plan.newSources.length}`);
      if (plan.invalid.length) {
        printInvalid(plan.invalid);
        return 1;
      }
      console.log('Dry run: nothing was written.');
      return 0;
    }
    const bars: Record<string, (d: number, t: number) => void> = { checking: progressBar('checking'), writing: progressBar('writing ') };
    const summary = await applyImport(db, { id: null, displayName: 'command-line import' }, rows, (stage, d, t) => bars[stage]?.(d, t));
    console.log(`Imported ${file}: ${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged; new: ${summary.newVendors} vendors, ${summary.newActors} actors, ${summary.newSources} sources.`);
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      if (Array.isArray(err.details.invalid)) printInvalid(err.details.invalid as InvalidRow[]);
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await db.destroy();
  }
}

runScript(main);
