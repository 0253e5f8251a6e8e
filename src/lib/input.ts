import { z } from 'zod';
import { AppError } from './errors';

/**
 * Field rules shared by every form. Text is normalised to NFC; one-line fields refuse
 * control characters and the bidirectional overrides that can disguise text. Lengths
 * are checked here, so SQLite (which would store anything) and PostgreSQL agree.
 */

// C0/C1 controls (tab, CR and LF included) and the bidi embedding/override/isolate marks.
const ONE_LINE_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// Multi-line text keeps tab and line breaks.
const MULTI_LINE_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function textField(max: number, forbidden: RegExp, what: string) {
  return z
    .string({ message: 'This field is required.' })
    .transform((v) => v.normalize('NFC').replace(/\r\n?/g, '\n').trim())
    .refine((v) => !forbidden.test(v), { message: `Remove ${what}.` })
    .refine((v) => v.length <= max, { message: `Use at most ${max} characters.` });
}

/** A one-line text field; empty is allowed unless `.min(1)` is applied by the caller through `required`. */
export const oneLine = (max: number) => textField(max, ONE_LINE_FORBIDDEN, 'line breaks, control characters and direction overrides');
export const multiLine = (max: number) => textField(max, MULTI_LINE_FORBIDDEN, 'control characters and direction overrides');

export function required<T extends z.ZodType<string>>(field: T, message = 'This field is required.') {
  return field.refine((v) => v.length > 0, { message });
}

/** Form values arrive as a string, an array (a repeated field) or not at all. */
export function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'string' ? v : ''));
}

export function asText(value: unknown): string {
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : '';
  return typeof value === 'string' ? value : '';
}

export type FieldErrors = Record<string, string>;

/** A form that could not be saved: the messages per field, shown beside the fields (422). */
export class FormInvalid extends AppError {
  constructor(readonly fieldErrors: FieldErrors) {
    super(422, 'invalid_form', 'Some fields need attention.', { fields: fieldErrors });
  }
}

/** Turns zod issues into one message per field (the first issue wins). */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_form';
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

export function parseForm<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new FormInvalid(fieldErrorsOf(result.error));
  return result.data;
}
