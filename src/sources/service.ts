import type { Knex } from 'knex';
import type { Db } from '../db/knex';
import { insertedId, updateIfVersion } from '../db/versioned';
import { onUniqueViolation } from '../db/errors';
import { diffSnapshots, type Snapshot } from '../history/diff';
import { type Editor, insertRevision } from '../history/repo';
import { NotFound, VersionConflict } from '../lib/errors';
import { FormInvalid, parseForm } from '../lib/input';
import { nowIso } from '../lib/time';
import { reindexSource } from '../db/searchIndex';
import { sourceFields, sourceFieldsOf } from './fields';
import { findSourceById, findSourceByUrl, type Source, sourceColumnsOf } from './repo';
import { SourceInput } from './schema';

export type { Source } from './repo';

export function parseSourceId(raw: string): number | null {
  const id = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

export async function getSource(db: Db, rawId: string): Promise<Source> {
  const id = parseSourceId(rawId);
  const source = id ? await findSourceById(db, id) : null;
  if (!source) throw new NotFound(`No source has the id "${rawId}".`);
  return source;
}

type SourceData = Pick<SourceInput, 'url' | 'title' | 'publisher' | 'published_on' | 'reliability'> & Partial<SourceInput>;

/** The history's view of source fields about to be saved: the same text per field as the form. */
export function sourceSnapshot(s: SourceData): Snapshot {
  return sourceFieldsOf(s);
}

/** The history's view of a stored source. */
export function snapshotOfSource(s: Source): Snapshot {
  return sourceFields(s);
}

/** Inserts a source inside a transaction and records its creation. */
export async function insertSource(trx: Knex.Transaction, by: Editor, data: SourceData, now: string): Promise<number> {
  const [row] = await trx('sources')
    .insert({ ...sourceColumnsOf(data), version: 1, created_at: now, updated_at: now })
    .returning('id');
  const id = insertedId(row);
  await insertRevision(trx, {
    entityType: 'source',
    entityId: id,
    action: 'create',
    version: 1,
    by,
    at: now,
    changes: diffSnapshots(null, sourceSnapshot(data)),
  });
  await reindexSource(trx, id);
  return id;
}

/** The form error for an address another source has: found now, after a concurrent save took it. */
async function urlTaken(db: Db, url: string | null | undefined): Promise<FormInvalid> {
  const existing = url ? await findSourceByUrl(db, url) : null;
  return new FormInvalid({
    url: existing
      ? `This address is already recorded as source ${existing.id} (“${existing.title}”).`
      : 'This address is already recorded as another source.',
  });
}

export async function createSource(db: Db, by: Editor, input: unknown): Promise<Source> {
  const data = parseForm(SourceInput, input);
  if (data.url) {
    const existing = await findSourceByUrl(db, data.url);
    if (existing) throw new FormInvalid({ url: `This address is already recorded as source ${existing.id} (“${existing.title}”).` });
  }
  const id = await onUniqueViolation(
    'sources',
    'url',
    () => urlTaken(db, data.url),
    db.transaction((trx) => insertSource(trx, by, data, nowIso())),
  );
  return (await findSourceById(db, id)) as Source;
}

export async function updateSource(db: Db, by: Editor, rawId: string, version: number, input: unknown): Promise<Source> {
  const current = await getSource(db, rawId);
  const data = parseForm(SourceInput, input);
  if (data.url && data.url !== current.url) {
    const existing = await findSourceByUrl(db, data.url);
    if (existing) throw new FormInvalid({ url: `This address is already recorded as source ${existing.id} (“${existing.title}”).` });
  }
  const now = nowIso();
  await onUniqueViolation(
    'sources',
    'url',
    () => urlTaken(db, data.url),
    db.transaction(async (trx) => {
      if (!(await updateIfVersion(trx, 'sources', current.id, version, { ...sourceColumnsOf(data), updated_at: now }))) {
        throw new VersionConflict(await findSourceById(trx, current.id));
      }
      await insertRevision(trx, {
        entityType: 'source',
        entityId: current.id,
        action: 'update',
        version: version + 1,
        by,
        at: now,
        changes: diffSnapshots(snapshotOfSource(current), sourceSnapshot(data)),
      });
      await reindexSource(trx, current.id);
    }),
  );
  return (await findSourceById(db, current.id)) as Source;
}
