import { z } from 'zod';
import { isCountryCode, isJurisdictionCode } from './jurisdiction';
import { PartialDateError, parsePartialDate } from './partialDate';
import { SLUG_PATTERN } from './slug';
import { normaliseUrl, UrlError } from './url';
import { oneLine } from './input';
import { LIMITS } from './limits';

/**
 * Field types shared by the entity forms. Each turns form text into a stored value. Those that
 * fill a sized column take the column's limit from the caller (`slugField(LIMITS.vendor.slug)`).
 */

export const slugField = (max: number) =>
  oneLine(max).refine((v) => v === '' || SLUG_PATTERN.test(v), {
    message: 'Use lower-case letters, digits and single hyphens, e.g. kaspersky-lab.',
  });

/** An optional http(s) URL, normalised; empty becomes null. */
export const urlField = (max: number) =>
  oneLine(max).transform((v, ctx) => {
    if (!v) return null;
    try {
      return normaliseUrl(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof UrlError ? `Not accepted: ${err.message}.` : 'Not a web address.' });
      return z.NEVER;
    }
  });

/** An optional partial date (YYYY, YYYY-MM or YYYY-MM-DD); empty becomes null. */
export const partialDateField = (max: number) =>
  oneLine(max).transform((v, ctx) => {
    if (!v) return null;
    try {
      return parsePartialDate(v).value;
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof PartialDateError ? `Not a date: ${err.message}.` : 'Not a date.' });
      return z.NEVER;
    }
  });

// Longer input than a code is let through to the code check, so a typed name such as
// "Germany" gets the message about codes rather than a silent cut or a length complaint.
export const countryField = oneLine(LIMITS.typed.code)
  .transform((v) => v.toUpperCase())
  .refine((v) => v === '' || isCountryCode(v), { message: 'Use a two-letter ISO 3166-1 country code, e.g. RU.' })
  .transform((v) => v || null);

export const jurisdictionField = oneLine(LIMITS.typed.code)
  .transform((v) => v.toUpperCase())
  .refine((v) => v === '' || isJurisdictionCode(v), { message: 'Use a two-letter country code (ISO 3166-1), EU or INT.' });

export const versionField = z.coerce.number({ message: 'The form is missing its version; reload it.' }).int().min(1);
