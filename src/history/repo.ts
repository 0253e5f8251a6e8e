import type { Knex } from 'knex';
import { insertRows } from '../db/bulk';
import type { Db } from '../db/knex';

export type EntityType = 'event' | 'source' | 'vendor' | 'actor' | 'user';
export type RevisionAction = 'create' | 'update' | 'delete' | 'restore';

/** Field-by-field change: [before, after]; empty string means absent. */
export type Changes = Record<string, [string, string]>;

export interface Revision {
  id: number;
  entityType: EntityType;
  entityId: number;
  action: RevisionAction;
  version: number;
  userName: string;
  at: string;
  changes: Changes;
}

export interface Editor {
  /** Null for changes made from the command line. */
  id: number | null;
  displayName: string;
}

/** Changes already written as JSON, by a writer that prepares them while the database is busy. */
export type ChangesJson = string & { readonly __changesJson: true };

export const changesJson = (changes: Changes): ChangesJson => JSON.stringify(changes) as ChangesJson;

export interface NewRevision {
  entityType: EntityType;
  entityId: number;
  action: RevisionAction;
  version: number;
  by: Editor;
  at: string;
  changes: Changes | ChangesJson;
}

export async function insertRevision(trx: Knex.Transaction | Db, r: NewRevision): Promise<void> {
  await insertRevisions(trx, [r]);
}

/** Records many changes at once: an import writes its revisions in a few statements, not one per row. */
export async function insertRevisions(trx: Knex.Transaction | Db, revisions: readonly NewRevision[]): Promise<void> {
  await insertRows(
    trx,
    'revisions',
    revisions.map((r) => ({
      entity_type: r.entityType,
      entity_id: r.entityId,
      action: r.action,
      version: r.version,
      user_id: r.by.id,
      user_name: r.by.displayName,
      at: r.at,
      changes: typeof r.changes === 'string' ? r.changes : changesJson(r.changes),
    })),
  );
}

export async function listRevisions(db: Db, entityType: EntityType, entityId: number): Promise<Revision[]> {
  const rows = await db('revisions').where({ entity_type: entityType, entity_id: entityId }).orderBy('id', 'desc');
  return rows.map((row) => ({
    id: row.id,
    entityType: row.entity_type,
    entityId: Number(row.entity_id),
    action: row.action,
    version: Number(row.version),
    userName: row.user_name,
    at: row.at,
    changes: JSON.parse(row.changes) as Changes,
  }));
}
