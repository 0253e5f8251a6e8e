import { type Page, textOf } from './dom';

/**
 * Readers for messages and controls of our own pages that several test files look at, on top
 * of dom.ts: the form's message, a field's error, the flash, a select's options, the parameter an
 * error page names, the import preview's confirm address.
 */

/** The text of the first element matching the selector, or null when there is none. */
function textOrNull(page: Page, selector: string): string | null {
  const found = page(selector).first();
  return found.length ? textOf(found) : null;
}

/** The message a form shows above its fields (`p.form-error`), or null. */
export function formErrorOf(page: Page): string | null {
  return textOrNull(page, 'p.form-error[role="alert"]');
}

/** The error beside a field (partials/field: `#f-KEY-err`, KEY with dots and brackets as dashes), or null. */
export function fieldErrorOf(page: Page, key: string): string | null {
  return textOrNull(page, `#f-${key.replace(/[^a-zA-Z0-9_-]/g, '-')}-err.field-error`);
}

/** The flash message at the top of a page, or null. */
export function flashOf(page: Page): string | null {
  return textOrNull(page, 'p.flash[role="status"]');
}

export interface Option {
  value: string;
  label: string;
  selected: boolean;
}

/** Every option of the select named `name`, with its label and whether it is selected. */
export function optionsOf(page: Page, name: string): Option[] {
  return page(`select[name="${name}"] option`)
    .toArray()
    .map((o) => ({
      value: page(o).attr('value') ?? textOf(page(o)),
      label: textOf(page(o)),
      selected: page(o).attr('selected') !== undefined,
    }));
}

/**
 * The parameter an error page names as unusable ("The parameter <code>NAME</code> could not be
 * used."), or null when the page names none.
 */
export function badParameterOf(page: Page): string | null {
  for (const p of page('p').toArray()) {
    const code = page(p).children('code').first();
    if (code.length && textOf(page(p)).includes(`The parameter ${code.text()} could not be used.`)) return code.text();
  }
  return null;
}

/** The address the import preview's confirm form posts to, or null when the page has no such form. */
export function importConfirmPathOf(page: Page): string | null {
  return page('form[method="post"][action^="/imports/"][action$="/confirm"]').attr('action') ?? null;
}
