import type { Db } from '../db/knex';
import { type EventDetail, findEventRows, findEventRowsAffectingActor, hydrateEvents } from '../events/repo';
import { NotFound } from '../http/errors';
import { type Actor, findActorBySlug, listActors } from './repo';

export interface ActorPage {
  actor: Actor;
  acted: EventDetail[];
  affectedBy: EventDetail[];
}

const ACTOR_PAGE_LIMIT = 1000;

export async function getActorPage(db: Db, slug: string): Promise<ActorPage> {
  const actor = await findActorBySlug(db, slug);
  if (!actor) throw new NotFound(`No actor is recorded as "${slug}".`);
  const [acted, affectedBy] = await Promise.all([
    findEventRows(db, { actorId: actor.id, order: 'asc' }, ACTOR_PAGE_LIMIT).then((rows) => hydrateEvents(db, rows)),
    findEventRowsAffectingActor(db, actor.id).then((rows) => hydrateEvents(db, rows)),
  ]);
  return { actor, acted, affectedBy };
}

export async function listAllActors(db: Db): Promise<Actor[]> {
  return listActors(db);
}
