import type { Db } from '../db/knex';

export interface Actor {
  id: number;
  slug: string;
  name: string;
  kind: string;
  jurisdiction: string | null;
  description: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface ActorRow {
  id: number;
  slug: string;
  name: string;
  kind: string;
  jurisdiction: string | null;
  description: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export function toActor(row: ActorRow): Actor {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    kind: row.kind,
    jurisdiction: row.jurisdiction,
    description: row.description,
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function findActorBySlug(db: Db, slug: string): Promise<Actor | null> {
  const row = await db<ActorRow>('actors').where({ slug }).first();
  return row ? toActor(row) : null;
}

export async function listActors(db: Db): Promise<Actor[]> {
  const rows = await db<ActorRow>('actors').orderBy('name');
  return rows.map(toActor);
}

/** One page of actors by name, after the actor named by `after` (its name and id). */
export async function listActorsPage(db: Db, limit: number, after?: readonly [string, number]): Promise<Actor[]> {
  const query = db<ActorRow>('actors')
    .orderBy([{ column: 'name' }, { column: 'id' }])
    .limit(limit);
  if (after) {
    const [name, id] = after;
    query.whereRaw('(name, id) > (?, ?)', [name, id]);
  }
  return (await query).map(toActor);
}
