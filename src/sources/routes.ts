import { Router } from 'express';
import { parseForm } from '../lib/input';
import { listRevisions } from '../history/service';
import type { AppContext } from '../http/context';
import { type FormSpec, formVersion, submitForm, typedValues } from '../http/formFlow';
import { editorOf, requireRole } from '../accounts/middleware';
import { sourceFields } from './fields';
import { RELIABILITY_GRADES, SOURCE_FIELDS, SourceInput } from './schema';
import { createSource, getSource, type Source, updateSource } from './service';

const sourceForm: FormSpec<Source> = {
  view: 'sources/form',
  fields: SOURCE_FIELDS,
  toFormValues: (s) => ({ ...sourceFields(s), version: String(s.version) }),
};

export function sourceRoutes({ db }: AppContext): Router {
  const router = Router();
  const analyst = requireRole('analyst');
  const formLocals = { grades: RELIABILITY_GRADES };

  router.get('/sources/new', analyst, (_req, res) => {
    res.render('sources/form', { ...formLocals, title: 'New source', source: null, values: {}, errors: {}, conflict: null });
  });

  router.post('/sources', analyst, async (req, res) => {
    await submitForm(
      req,
      res,
      sourceForm,
      typedValues(req.body, SOURCE_FIELDS),
      { ...formLocals, title: 'New source', source: null },
      async () => {
        const source = await createSource(db, editorOf(req), parseForm(SourceInput, req.body));
        return { redirect: `/sources/${source.id}`, flash: 'Source added.' };
      },
    );
  });

  router.get('/sources/:id/edit', analyst, async (req, res) => {
    const source = await getSource(db, String(req.params.id));
    res.render('sources/form', {
      ...formLocals,
      title: 'Edit source',
      source,
      values: sourceForm.toFormValues(source),
      errors: {},
      conflict: null,
    });
  });

  router.post('/sources/:id', analyst, async (req, res) => {
    const source = await getSource(db, String(req.params.id));
    const locals = { ...formLocals, title: 'Edit source', source, reloadHref: `/sources/${source.id}/edit` };
    await submitForm(req, res, sourceForm, typedValues(req.body, SOURCE_FIELDS), locals, async () => {
      const saved = await updateSource(db, editorOf(req), String(source.id), formVersion(req.body), parseForm(SourceInput, req.body));
      return { redirect: `/sources/${saved.id}`, flash: 'Source saved.' };
    });
  });

  router.get('/sources/:id/history', async (req, res) => {
    const source = await getSource(db, req.params.id);
    res.render('history/show', {
      title: `History: ${source.title}`,
      what: 'source',
      backHref: `/sources/${source.id}`,
      backLabel: source.title,
      inTrash: false,
      revisions: await listRevisions(db, 'source', source.id),
    });
  });

  return router;
}
