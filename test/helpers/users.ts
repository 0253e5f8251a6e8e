import type { Config } from '../../src/lib/config';
import type { Db } from '../../src/db/knex';
import { nowIso } from '../../src/lib/time';
import { hashPassword } from '../../src/accounts/password';
import { findUserById, insertUser, type Role, type User } from '../../src/accounts/repo';
import { normaliseEmail } from '../../src/accounts/schema';

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
  const id = await insertUser(t.db, { email: normaliseEmail(input.email), displayName: input.display_name, role: input.role, passwordHash, now: nowIso() });
  return (await findUserById(t.db, id)) as User;
}
