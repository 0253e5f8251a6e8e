import { Router } from 'express';
import { parseForm } from '../lib/input';
import { listRevisions } from '../history/service';
import type { AppContext } from '../http/context';
import { singleParam } from '../lib/errors';
import { type FormSpec, formVersion, submitForm, typedValues } from '../http/formFlow';
import { editorOf, requireRole } from '../accounts/middleware';
import { ACTOR_KINDS } from './kinds';
import { ACTOR_FIELDS, ActorEdit, ActorInput } from './schema';
import { type Actor, actorListPage, actorSnapshot, createActor, getActor, updateActor } from './service';

const actorForm: FormSpec<Actor> = {
  view: 'actors/form',
  fields: ACTOR_FIELDS,
  // The fields as the history records them, plus the version the edit was read at.
  toFormValues: (a) => ({ ...actorSnapshot(a), version: String(a.version) }),
};

export function actorRoutes({ db }: AppContext): Router {
  const router = Router();
  const analyst = requireRole('analyst');
  const formLocals = { kinds: ACTOR_KINDS };

  router.get('/actors', async (req, res) => {
    const after = singleParam(req.query, 'after');
    const page = await actorListPage(db, after);
    res.render('actors/index', {
      title: 'Actors',
      actors: page.items,
      firstHref: after ? '/actors' : null,
      nextHref: page.next ? `/actors?after=${encodeURIComponent(page.next)}` : null,
    });
  });

  router.get('/actors/new', analyst, (_req, res) => {
    res.render('actors/form', {
      ...formLocals,
      title: 'New actor',
      actor: null,
      values: { kind: 'government' },
      errors: {},
      conflict: null,
    });
  });

  router.post('/actors', analyst, async (req, res) => {
    await submitForm(
      req,
      res,
      actorForm,
      typedValues(req.body, ACTOR_FIELDS),
      { ...formLocals, title: 'New actor', actor: null },
      async () => {
        const actor = await createActor(db, editorOf(req), parseForm(ActorInput, req.body));
        return { redirect: `/actors/${actor.slug}`, flash: `Actor “${actor.name}” added.` };
      },
    );
  });

  router.get('/actors/:slug/edit', analyst, async (req, res) => {
    const actor = await getActor(db, String(req.params.slug));
    res.render('actors/form', {
      ...formLocals,
      title: `Edit ${actor.name}`,
      actor,
      values: actorForm.toFormValues(actor),
      errors: {},
      conflict: null,
    });
  });

  router.post('/actors/:slug', analyst, async (req, res) => {
    const actor = await getActor(db, String(req.params.slug));
    const locals = { ...formLocals, title: `Edit ${actor.name}`, actor, reloadHref: `/actors/${actor.slug}/edit` };
    await submitForm(req, res, actorForm, typedValues(req.body, ACTOR_FIELDS), locals, async () => {
      const saved = await updateActor(db, editorOf(req), actor.slug, formVersion(req.body), parseForm(ActorEdit, req.body));
      return { redirect: `/actors/${saved.slug}`, flash: `Actor “${saved.name}” saved.` };
    });
  });

  router.get('/actors/:slug/history', async (req, res) => {
    const actor = await getActor(db, req.params.slug);
    res.render('history/show', {
      title: `History: ${actor.name}`,
      what: 'actor',
      backHref: `/actors/${encodeURIComponent(actor.slug)}`,
      backLabel: actor.name,
      inTrash: false,
      revisions: await listRevisions(db, 'actor', actor.id),
    });
  });

  return router;
}
