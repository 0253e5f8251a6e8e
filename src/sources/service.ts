import type { Knex } from 'knex';
import type { Db } from '../db/knex';
import { onUniqueViolation } from '../db/errors';
import { diffSnapshots, type Snapshot } from '../history/diff';
import { type Editor, insertRevision, insertRevisions } from '../history/repo';
import { NotFound, VersionConflict } from '../lib/errors';
import { FormInvalid } from '../lib/input';
import { nowIso } from '../lib/time';
import { indexNewSources, reindexSource } from '../db/searchIndex';
import { sourceFields, sourceFieldsOf } from './fields';
import { findSourceById, findSourceByUrl, insertSourceRows, type NewSource, type Source, sourceColumnsOf, updateSourceRow } from './repo';
import type { SourceInput } from './schema';

export type { NewSource, Source } from './repo';

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

/** The history's view of source fields about to be saved: the same text per field as the form. */
export function sourceSnapshot(s: NewSource): Snapshot {
  return sourceFieldsOf(s);
}

/** The history's view of a stored source. */
export function snapshotOfSource(s: Source): Snapshot {
  return sourceFields(s);
}

/**
 * Creates sources inside a transaction, records each creation in the history and indexes
 * them for search; returns their ids in the order given. The one way a source is created:
 * the source form (one), the event form's citations of new sources and the demo loader.
 */
export async function createSources(trx: Knex.Transaction, by: Editor, sources: readonly NewSource[], now: string): Promise<number[]> {
  const ids = await insertSourceRows(trx, sources, now);
  await insertRevisions(
    trx,
    sources.map((s, i) => ({
      entityType: 'source',
      entityId: ids[i],
      action: 'create',
      version: 1,
      by,
      at: now,
      changes: diffSnapshots(null, sourceSnapshot(s)),
    })),
  );
  const stored = sources.map(sourceColumnsOf);
  await indexNewSources(
    trx,
    stored.map((s, i) => ({ sourceId: ids[i], title: s.title, publisher: s.publisher, body: s.body })),
  );
  return ids;
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

/** Creates a source from the checked form; an address another source has is a field error. */
export async function createSource(db: Db, by: Editor, data: SourceInput): Promise<Source> {
  if (data.url) {
    const existing = await findSourceByUrl(db, data.url);
    if (existing) throw new FormInvalid({ url: `This address is already recorded as source ${existing.id} (“${existing.title}”).` });
  }
  const [id] = await onUniqueViolation(
    'sources',
    'url',
    () => urlTaken(db, data.url),
    db.transaction((trx) => createSources(trx, by, [data], nowIso())),
  );
  return (await findSourceById(db, id)) as Source;
}

/** Saves an edit of the source `rawId` made on `version`. */
export async function updateSource(db: Db, by: Editor, rawId: string, version: number, data: SourceInput): Promise<Source> {
  const current = await getSource(db, rawId);
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
      if (!(await updateSourceRow(trx, current.id, version, data, now))) {
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
