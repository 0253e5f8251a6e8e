import type { Request, Response } from 'express';
import { NeedsConfirmation, VersionConflict } from '../lib/errors';
import { versionField } from '../lib/fields';
import { asText, fieldErrorsOf, FormInvalid } from '../lib/input';

export type FormValues = Record<string, string | string[]>;

export interface FormSpec<T, V extends object = FormValues> {
  /** The view that renders the form. */
  view: string;
  /** Field names and labels, in form order, for the side-by-side conflict table. */
  fields: ReadonlyArray<{ name: string; label: string }>;
  /** A stored record as form values. */
  toFormValues(record: T): V;
  /** One field of the form values as text for the conflict table. */
  display?(values: V, field: string): string;
}

/** The posted values of the named fields, plus the version, as typed: to re-render the form. */
export function typedValues(body: Record<string, unknown>, fields: ReadonlyArray<{ name: string }>): FormValues {
  const out: FormValues = {};
  for (const name of [...fields.map((f) => f.name), 'version']) out[name] = asText(body[name]);
  return out;
}

const show = (v: unknown) => (Array.isArray(v) ? v.filter(Boolean).join('\n') : typeof v === 'string' ? v : '');

/**
 * Runs a save. On success: flash and redirect (Post/Redirect/Get). On invalid input:
 * 422 with every typed value and a message per field. On a warning to confirm: 422
 * with the warning. On a stale version: 409 with the stored values beside the typed
 * ones, and the form ready to save over them.
 */
export async function submitForm<T extends { version: number }, V extends object>(
  req: Request,
  res: Response,
  spec: FormSpec<T, V>,
  typed: V,
  locals: Record<string, unknown>,
  save: () => Promise<{ redirect: string; flash: string }>,
): Promise<void> {
  const base = { ...locals, values: typed, errors: {}, conflict: null, confirmation: null };
  try {
    const { redirect, flash } = await save();
    req.session.flash = flash;
    res.redirect(303, redirect);
  } catch (err) {
    if (err instanceof FormInvalid) {
      res.status(422).render(spec.view, { ...base, errors: err.fieldErrors });
      return;
    }
    if (err instanceof NeedsConfirmation) {
      res.status(422).render(spec.view, { ...base, confirmation: { message: err.message, matches: err.matches } });
      return;
    }
    if (err instanceof VersionConflict) {
      const current = err.current as T;
      const theirs = spec.toFormValues(current);
      const text = (values: V, field: string) =>
        spec.display ? spec.display(values, field) : show((values as Record<string, unknown>)[field]);
      const rows = spec.fields.map((f) => ({ label: f.label, theirs: text(theirs, f.name), yours: text(typed, f.name) }));
      res
        .status(409)
        .render(spec.view, { ...base, values: { ...typed, version: String(current.version) }, conflict: { rows, message: err.message } });
      return;
    }
    throw err;
  }
}

/** The version the edit form was loaded with. */
export function formVersion(body: Record<string, unknown>): number {
  const parsed = versionField.safeParse(body.version);
  if (!parsed.success) throw new FormInvalid({ _form: fieldErrorsOf(parsed.error)._form ?? 'The form is missing its version; reload it.' });
  return parsed.data;
}
