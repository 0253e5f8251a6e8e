import type { Db } from '../db/knex';
import { AppError, NotFound } from '../http/errors';
import { FormInvalid, parseForm } from '../http/forms';
import { nowIso } from '../lib/time';
import { hashPassword } from './password';
import { countActiveAdmins, emailExists, findUserById, insertUser, listUsers, type Role, updateUser, type User } from './repo';
import { NewUserInput } from './schema';

/** Validates and creates a user; a taken email is a field error. */
export async function createUser(db: Db, input: unknown): Promise<User> {
  const data = parseForm(NewUserInput, input);
  if (await emailExists(db, data.email)) throw new FormInvalid({ email: 'An account with this email already exists.' });
  const id = await insertUser(db, {
    email: data.email,
    displayName: data.display_name,
    role: data.role,
    passwordHash: await hashPassword(data.password),
    now: nowIso(),
  });
  return (await findUserById(db, id)) as User;
}

export async function listAllUsers(db: Db): Promise<User[]> {
  return listUsers(db);
}

async function getUser(db: Db, id: number): Promise<User> {
  const user = Number.isSafeInteger(id) ? await findUserById(db, id) : null;
  if (!user) throw new NotFound('No such user.');
  return user;
}

/** Refuses any change that would leave no active admin. */
async function guardLastAdmin(db: Db, user: User, next: { role: Role; disabled: boolean }): Promise<void> {
  const stillAdmin = next.role === 'admin' && !next.disabled;
  if (user.role === 'admin' && !user.disabled && !stillAdmin && (await countActiveAdmins(db)) <= 1) {
    throw new AppError(409, 'last_admin', 'This is the last active admin; make someone else an admin first.');
  }
}

export async function changeUserRole(db: Db, id: number, role: Role): Promise<void> {
  const user = await getUser(db, id);
  await guardLastAdmin(db, user, { role, disabled: user.disabled });
  await updateUser(db, id, { role, now: nowIso() });
}

export async function setUserDisabled(db: Db, id: number, disabled: boolean): Promise<void> {
  const user = await getUser(db, id);
  await guardLastAdmin(db, user, { role: user.role, disabled });
  await updateUser(db, id, { disabled, now: nowIso() });
}
