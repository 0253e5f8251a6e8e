import { z } from 'zod';
import { partialDateField, urlField } from '../lib/fields';
import { multiLine, oneLine, required } from '../lib/input';
import { LIMITS } from '../lib/limits';

export const RELIABILITY_GRADES = {
  A: 'A: completely reliable',
  B: 'B: usually reliable',
  C: 'C: fairly reliable',
  D: 'D: not usually reliable',
  E: 'E: unreliable',
  F: 'F: reliability cannot be judged',
} as const;

export const reliabilityField = oneLine(LIMITS.source.reliability)
  .transform((v) => v.toUpperCase())
  .refine((v) => v === '' || v in RELIABILITY_GRADES, { message: 'Choose a grade from A to F, or leave it empty.' })
  .transform((v) => v || null);

/** The fields a source shares between its own form and a new source typed inside the event form. */
export const sourceCoreShape = {
  url: urlField(LIMITS.source.url),
  title: required(oneLine(LIMITS.source.title), 'Enter the article’s title.'),
  publisher: oneLine(LIMITS.source.publisher),
  published_on: partialDateField(LIMITS.source.published_on),
  reliability: reliabilityField,
};

export const SourceInput = z.object({
  ...sourceCoreShape,
  author: oneLine(LIMITS.source.author),
  archived_url: urlField(LIMITS.source.archived_url),
  language: oneLine(LIMITS.source.language)
    .refine((v) => v === '' || /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(v), { message: 'Use a language tag such as en or de-CH.' })
    .transform((v) => v || null),
  body: multiLine(LIMITS.source.body),
});
export type SourceInput = z.output<typeof SourceInput>;

export const SOURCE_FIELDS = [
  { name: 'url', label: 'Address (URL)' },
  { name: 'title', label: 'Title' },
  { name: 'publisher', label: 'Publisher' },
  { name: 'author', label: 'Author' },
  { name: 'published_on', label: 'Published' },
  { name: 'archived_url', label: 'Archived copy' },
  { name: 'language', label: 'Language' },
  { name: 'reliability', label: 'Reliability' },
  { name: 'body', label: 'Stored text' },
] as const;
