import type { Knex } from 'knex';
import { onUniqueViolation } from '../db/errors';
import type { Db } from '../db/knex';
import type { Editor } from '../history/repo';
import { AppError, NotFound } from '../lib/errors';
import { FormInvalid } from '../lib/input';
import { nowIso } from '../lib/time';
import { hashPassword } from './password';
import {
  type AccountChange,
  COMMAND_LINE,
  countActiveAdmins,
  emailExists,
  findUserById,
  insertUser,
  lockAdminsAndUser,
  listAccountChanges,
  listUsers,
  type Role,
  updateUser,
  type User,
} from './repo';
import type { NewUserInput } from './schema';

const emailTaken = () => new FormInvalid({ email: 'An account with this email already exists.' });

/**
 * Creates a user from checked input (NewUserInput: the route or script parses it); a taken
 * email is a field error, also when another request (a double-click on "Add user") inserted
 * the same email a moment earlier.
 */
export async function createUser(db: Db, data: NewUserInput, by: Editor = COMMAND_LINE, hashing: { scryptN?: number } = {}): Promise<User> {
  if (await emailExists(db, data.email)) throw emailTaken();
  const passwordHash = await hashPassword(data.password, hashing.scryptN);
  const id = await onUniqueViolation(
    'users',
    'email',
    emailTaken,
    db.transaction((trx) =>
      insertUser(trx, { email: data.email, displayName: data.display_name, role: data.role, passwordHash, now: nowIso() }, by),
    ),
  );
  return (await findUserById(db, id)) as User;
}

export async function listAllUsers(db: Db): Promise<User[]> {
  return listUsers(db);
}

export const ACCOUNT_HISTORY_PAGE = 100;

/** A page of account changes, newest first, and where the next page starts (null on the last). */
export async function accountHistoryPage(db: Db, beforeId?: number): Promise<{ changes: AccountChange[]; next: number | null }> {
  const rows = await listAccountChanges(db, ACCOUNT_HISTORY_PAGE + 1, beforeId);
  const changes = rows.slice(0, ACCOUNT_HISTORY_PAGE);
  return { changes, next: rows.length > ACCOUNT_HISTORY_PAGE ? changes[changes.length - 1].id : null };
}

async function lockedUser(trx: Knex.Transaction, id: number): Promise<User> {
  const user = await findUserById(trx, id);
  if (!user) throw new NotFound('No such user.');
  return user;
}

/** Refuses any change that would leave no active admin. */
async function guardLastAdmin(trx: Knex.Transaction, user: User, next: { role: Role; disabled: boolean }): Promise<void> {
  const stillAdmin = next.role === 'admin' && !next.disabled;
  if (user.role === 'admin' && !user.disabled && !stillAdmin && (await countActiveAdmins(trx)) <= 1) {
    throw new AppError(409, 'last_admin', 'This is the last active admin; make someone else an admin first.');
  }
}

/**
 * Checks and changes an account in one transaction, so two admins demoting each other at
 * once cannot both pass the last-admin check. SQLite's write transaction already runs alone;
 * PostgreSQL locks the active admins' rows for it.
 */
async function changeAccount(db: Db, id: number, change: (user: User) => { role: Role; disabled: boolean }, by: Editor): Promise<void> {
  if (!Number.isSafeInteger(id) || id < 1) throw new NotFound('No such user.');
  await db.transaction(async (trx) => {
    await lockAdminsAndUser(trx, id);
    const user = await lockedUser(trx, id);
    const next = change(user);
    await guardLastAdmin(trx, user, next);
    await updateUser(trx, id, { role: next.role, disabled: next.disabled, now: nowIso() }, by);
  });
}

export async function changeUserRole(db: Db, id: number, role: Role, by: Editor = COMMAND_LINE): Promise<void> {
  await changeAccount(db, id, (user) => ({ role, disabled: user.disabled }), by);
}

export async function setUserDisabled(db: Db, id: number, disabled: boolean, by: Editor = COMMAND_LINE): Promise<void> {
  await changeAccount(db, id, (user) => ({ role: user.role, disabled }), by);
}
