import type { Knex } from 'knex';
import type { Db } from '../db/knex';
import { insertedId } from '../db/versioned';

export type Role = 'analyst' | 'admin';
export const ROLES: Record<Role, string> = { analyst: 'Analyst', admin: 'Admin' };

export interface User {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

interface UserRow {
  id: number;
  email: string;
  display_name: string;
  role: Role;
  password_hash: string;
  disabled: boolean | number;
  created_at: string;
  updated_at: string;
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    disabled: !!row.disabled,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function findUserById(db: Db, id: number): Promise<User | null> {
  const row = await db<UserRow>('users').where({ id }).first();
  return row ? toUser(row) : null;
}

/** The user and their password hash, for sign-in. `email` must already be normalised. */
export async function findCredentials(db: Db, email: string): Promise<{ user: User; passwordHash: string } | null> {
  const row = await db<UserRow>('users').where({ email }).first();
  return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
}

export async function listUsers(db: Db): Promise<User[]> {
  return (await db<UserRow>('users').orderBy('email')).map(toUser);
}

export async function countUsers(db: Db | Knex.Transaction): Promise<number> {
  const row = await db('users').count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

export async function emailExists(db: Db | Knex.Transaction, email: string): Promise<boolean> {
  return !!(await db('users').where({ email }).first('id'));
}

export async function insertUser(
  db: Db | Knex.Transaction,
  user: { email: string; displayName: string; role: Role; passwordHash: string; now: string },
): Promise<number> {
  const [row] = await db('users')
    .insert({ email: user.email, display_name: user.displayName, role: user.role, password_hash: user.passwordHash, disabled: false, created_at: user.now, updated_at: user.now })
    .returning('id');
  return insertedId(row);
}

export async function updateUser(db: Db, id: number, changes: { role?: Role; disabled?: boolean; now: string }): Promise<void> {
  const patch: Record<string, unknown> = { updated_at: changes.now };
  if (changes.role) patch.role = changes.role;
  if (changes.disabled !== undefined) patch.disabled = changes.disabled;
  await db('users').where({ id }).update(patch);
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const row = await db('users').where({ role: 'admin', disabled: false }).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}
