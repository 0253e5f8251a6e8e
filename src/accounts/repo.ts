import type { Knex } from 'knex';
import { type Db, isPostgres } from '../db/knex';
import { insertedId } from '../db/versioned';
import { type Changes, type Editor, insertRevision, type RevisionAction } from '../history/repo';

export type Role = 'analyst' | 'admin';

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

export async function findUserById(db: Db | Knex.Transaction, id: number): Promise<User | null> {
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
  /** Who created the account; left out when the account creates itself (the first admin, through the setup link). */
  by?: Editor,
): Promise<number> {
  const [row] = await db('users')
    .insert({
      email: user.email,
      display_name: user.displayName,
      role: user.role,
      password_hash: user.passwordHash,
      disabled: false,
      created_at: user.now,
      updated_at: user.now,
    })
    .returning('id');
  const id = insertedId(row);
  const changes: Changes = { email: ['', user.email], display_name: ['', user.displayName], role: ['', user.role] };
  await recordAccountChange(db, id, 'create', by ?? { id, displayName: user.displayName }, user.now, changes);
  return id;
}

/** Changes an account's role or status and records what changed in the account's history. */
export async function updateUser(
  db: Db | Knex.Transaction,
  id: number,
  changes: { role?: Role; disabled?: boolean; now: string },
  by?: Editor,
): Promise<void> {
  const before = await db<UserRow>('users').where({ id }).first();
  if (!before) return;
  const patch: Record<string, unknown> = { updated_at: changes.now };
  const recorded: Changes = {};
  if (changes.role && changes.role !== before.role) {
    patch.role = changes.role;
    recorded.role = [before.role, changes.role];
  }
  if (changes.disabled !== undefined && changes.disabled !== !!before.disabled) {
    patch.disabled = changes.disabled;
    recorded.status = [statusName(!!before.disabled), statusName(changes.disabled)];
  }
  await db('users').where({ id }).update(patch);
  if (Object.keys(recorded).length) await recordAccountChange(db, id, 'update', by ?? COMMAND_LINE, changes.now, recorded);
}

/** Changes made outside the web app, by whoever runs the command-line tools. */
export const COMMAND_LINE: Editor = { id: null, displayName: 'command line' };

const statusName = (disabled: boolean) => (disabled ? 'disabled' : 'active');

async function recordAccountChange(
  db: Db | Knex.Transaction,
  userId: number,
  action: RevisionAction,
  by: Editor,
  at: string,
  changes: Changes,
): Promise<void> {
  // Accounts have no version column; their history numbers the changes instead.
  const row = await db('revisions').where({ entity_type: 'user', entity_id: userId }).count({ n: '*' }).first();
  await insertRevision(db, { entityType: 'user', entityId: userId, action, version: Number(row?.n ?? 0) + 1, by, at, changes });
}

export interface AccountChange {
  id: number;
  at: string;
  action: RevisionAction;
  /** Who made the change, named as they were then. */
  byName: string;
  /** The account changed, as it is now. */
  account: { id: number; email: string; displayName: string } | null;
  changes: Changes;
}

/** Account changes, newest first; `beforeId` continues after the last one of the previous page. */
export async function listAccountChanges(db: Db, limit: number, beforeId?: number): Promise<AccountChange[]> {
  const query = db('revisions as r')
    .leftJoin('users as u', 'u.id', 'r.entity_id')
    .where('r.entity_type', 'user')
    .select('r.id', 'r.at', 'r.action', 'r.user_name', 'r.changes', 'u.id as account_id', 'u.email', 'u.display_name')
    .orderBy('r.id', 'desc')
    .limit(limit);
  if (beforeId !== undefined) query.where('r.id', '<', beforeId);
  const rows: AccountChangeRow[] = await query;
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    action: r.action,
    byName: r.user_name,
    account: r.account_id === null ? null : { id: Number(r.account_id), email: r.email ?? '', displayName: r.display_name ?? '' },
    changes: JSON.parse(r.changes) as Changes,
  }));
}

interface AccountChangeRow {
  id: number;
  at: string;
  action: RevisionAction;
  user_name: string;
  changes: string;
  account_id: number | null;
  email: string | null;
  display_name: string | null;
}

export async function countActiveAdmins(db: Db | Knex.Transaction): Promise<number> {
  const row = await db('users').where({ role: 'admin', disabled: false }).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/**
 * PostgreSQL: locks the active admins' rows and the account's own for the transaction, so
 * two admins demoting each other at once cannot both pass the last-admin check. SQLite's
 * write transaction already runs alone, so there is nothing to lock there.
 */
export async function lockAdminsAndUser(trx: Knex.Transaction, id: number): Promise<void> {
  if (isPostgres(trx)) await trx('users').where({ role: 'admin', disabled: false }).orWhere({ id }).forUpdate().select('id');
}
