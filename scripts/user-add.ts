/**
 * Creates a user account. The password is read from standard input, so scripts can pipe it:
 *   echo 'a long passphrase' | npm run user:add -- --email ana@example.org --name "Ana" --role analyst
 */
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { runScript } from './run';
import { loadConfig } from '../src/lib/config';
import { createDb } from '../src/db/knex';
import { migrateLatest } from '../src/db/migrate';
import { FormInvalid, parseForm } from '../src/lib/input';
import { NewUserInput } from '../src/accounts/schema';
import { createUser } from '../src/accounts/service';

const USAGE = 'usage: npm run user:add -- --email EMAIL --name "NAME" [--role analyst|admin]   (password on standard input)';

async function readPassword(): Promise<string> {
  const input = process.stdin;
  if (input.isTTY) {
    // Ask without echoing what is typed.
    const rl = readline.createInterface({ input, output: process.stdout, terminal: true });
    process.stdout.write('Password (at least 12 characters): ');
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
    const answer = await new Promise<string>((resolve) => rl.question('', resolve));
    rl.close();
    process.stdout.write('\n');
    return answer;
  }
  let data = '';
  for await (const chunk of input) data += chunk;
  return data.replace(/\r?\n$/, '');
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'analyst' } },
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!args.email || !args.name) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const db = createDb(config.database);
  try {
    await migrateLatest(db);
    const password = await readPassword();
    const user = await createUser(db, parseForm(NewUserInput, { email: args.email, display_name: args.name, role: args.role, password }));
    console.log(`Created ${user.role} ${user.email} (${user.displayName}).`);
    return 0;
  } catch (err) {
    if (err instanceof FormInvalid) {
      for (const [field, message] of Object.entries(err.fieldErrors))
        console.error(`${field === 'display_name' ? 'name' : field}: ${message}`);
      return 1;
    }
    throw err;
  } finally {
    await db.destroy();
  }
}

runScript(main);
