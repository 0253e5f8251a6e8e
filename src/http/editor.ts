import type { Request } from 'express';
import type { Editor } from '../history/repo';
import { fieldErrorsOf, FormInvalid } from '../lib/input';
import { versionField } from '../lib/fields';

/** The signed-in user as the history records them (routes behind requireRole only). */
export function editorOf(req: Request): Editor {
  if (!req.user) throw new Error('editorOf needs a signed-in user');
  return { id: req.user.id, displayName: req.user.displayName };
}

/** The version the edit form was loaded with. */
export function formVersion(body: Record<string, unknown>): number {
  const parsed = versionField.safeParse(body.version);
  if (!parsed.success) throw new FormInvalid({ _form: fieldErrorsOf(parsed.error)._form ?? 'The form is missing its version; reload it.' });
  return parsed.data;
}
