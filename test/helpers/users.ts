import type { Config } from '../../src/lib/config';
import type { Db } from '../../src/db/knex';
import { nowIso } from '../../src/lib/time';
import { hashPassword } from '../../src/accounts/password';
import { COMMAND_LINE, findUserById, insertUser, type Role, type User } from '../../src/accounts/repo';
import { NewUserInput, normaliseEmail } from '../../src/accounts/schema';
import { parseForm } from '../../src/lib/input';
import { TEST_SCRYPT_N } from './testDb';

export interface TestUserInput {
  email: string;
  password: string;
  display_name: string;
  role: Role;
}

/**
 * Adds an account with its password hashed at the test config's scrypt cost, so signing
 * in as it is quick (createUser hashes at the production cost).
 */
export async function addTestUser(t: { db: Db; config: Config }, input: TestUserInput): Promise<User> {
  const passwordHash = await hashPassword(input.password, t.config.passwordHashing?.scryptN);
  const id = await insertUser(t.db, {
    email: normaliseEmail(input.email),
    displayName: input.display_name,
    role: input.role,
    passwordHash,
    now: nowIso(),
  });
  return (await findUserById(t.db, id)) as User;
}

/**
 * What `createUser` does for the command line (the input validated, the account recorded as
 * made by the command line, in one transaction), but with the password hashed at the test
 * scrypt cost: at the production cost each account took a second or more to make, and so did
 * every sign-in as it. Tests of createUser itself call it directly.
 */
export async function createTestUser(db: Db, input: unknown): Promise<User> {
  const data = parseForm(NewUserInput, input);
  const passwordHash = await hashPassword(data.password, TEST_SCRYPT_N);
  const id = await db.transaction((trx) =>
    insertUser(trx, { email: data.email, displayName: data.display_name, role: data.role, passwordHash, now: nowIso() }, COMMAND_LINE),
  );
  return (await findUserById(db, id)) as User;
}
