import type { Db } from '../db/knex';
import { insertVersioned, updateIfVersion } from '../db/versioned';
import { onUniqueViolation } from '../db/errors';
import { diffSnapshots, type Snapshot } from '../history/diff';
import { type Editor, insertRevision } from '../history/repo';
import { NotFound, VersionConflict } from '../lib/errors';
import { decodePageKey, keysetPage, type KeysetPage } from '../lib/keyset';
import { FormInvalid } from '../lib/input';
import { slugify } from '../lib/slug';
import { nowIso } from '../lib/time';
import { type Actor, findActorBySlug, listActors, listActorsPage } from './repo';
import type { ActorEdit, ActorInput } from './schema';

export type { Actor } from './repo';

/** How many actors a page of /actors shows. */
export const ACTOR_LIST_PAGE_SIZE = 100;

export async function getActor(db: Db, slug: string): Promise<Actor> {
  const actor = await findActorBySlug(db, slug);
  if (!actor) throw new NotFound(`No actor is recorded as "${slug}".`);
  return actor;
}

/** One page of actors by name; `after` is the page key the previous page ended with. */
export async function actorListPage(db: Db, after: string): Promise<KeysetPage<Actor>> {
  const key = after ? decodePageKey(after, ['string', 'number'] as const, 'after') : undefined;
  return keysetPage(await listActorsPage(db, ACTOR_LIST_PAGE_SIZE + 1, key), ACTOR_LIST_PAGE_SIZE, (a) => [a.name, a.id]);
}

export async function listAllActors(db: Db): Promise<Actor[]> {
  return listActors(db);
}

export function actorSnapshot(a: Pick<Actor, 'slug' | 'name' | 'kind' | 'jurisdiction' | 'description'>): Snapshot {
  return { slug: a.slug, name: a.name, kind: a.kind, jurisdiction: a.jurisdiction ?? '', description: a.description };
}

export async function createActor(db: Db, by: Editor, data: ActorInput): Promise<Actor> {
  const slug = data.slug || slugify(data.name);
  if (!slug) throw new FormInvalid({ slug: 'Enter a slug: the name has no letters or digits to make one from.' });
  if (await findActorBySlug(db, slug)) throw new FormInvalid({ slug: `The slug "${slug}" is taken; choose another.` });
  const now = nowIso();
  const row = { ...data, slug };
  const taken = () => new FormInvalid({ slug: `The slug "${slug}" is taken; choose another.` });
  await onUniqueViolation(
    'actors',
    'slug',
    taken,
    db.transaction(async (trx) => {
      const id = await insertVersioned(trx, 'actors', row, now);
      await insertRevision(trx, {
        entityType: 'actor',
        entityId: id,
        action: 'create',
        version: 1,
        by,
        at: now,
        changes: diffSnapshots(null, actorSnapshot(row)),
      });
    }),
  );
  return getActor(db, slug);
}

export async function updateActor(db: Db, by: Editor, slug: string, version: number, edit: ActorEdit): Promise<Actor> {
  const current = await getActor(db, slug);
  const data = { ...edit, slug };
  const now = nowIso();
  await db.transaction(async (trx) => {
    const { slug: _slug, ...patch } = data;
    if (!(await updateIfVersion(trx, 'actors', current.id, version, { ...patch, updated_at: now }))) {
      throw new VersionConflict(await findActorBySlug(trx, slug));
    }
    await insertRevision(trx, {
      entityType: 'actor',
      entityId: current.id,
      action: 'update',
      version: version + 1,
      by,
      at: now,
      changes: diffSnapshots(actorSnapshot(current), actorSnapshot(data)),
    });
  });
  return getActor(db, slug);
}
