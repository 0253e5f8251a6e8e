import { z } from 'zod';
import { partialDateField, urlField } from '../lib/fields';
import { multiLine, oneLine, required } from '../lib/input';

export const RELIABILITY_GRADES = {
  A: 'A: completely reliable',
  B: 'B: usually reliable',
  C: 'C: fairly reliable',
  D: 'D: not usually reliable',
  E: 'E: unreliable',
  F: 'F: reliability cannot be judged',
} as const;

export const reliabilityField = oneLine(1)
  .transform((v) => v.toUpperCase())
  .refine((v) => v === '' || v in RELIABILITY_GRADES, { message: 'Choose a grade from A to F, or leave it empty.' })
  .transform((v) => v || null);

/** The fields a source shares between its own form and a new source typed inside the event form. */
export const sourceCoreShape = {
  url: urlField,
  title: required(oneLine(500), 'Enter the article’s title.'),
  publisher: oneLine(200),
  published_on: partialDateField,
  reliability: reliabilityField,
};

export const SourceInput = z.object({
  ...sourceCoreShape,
  author: oneLine(200),
  archived_url: urlField,
  language: oneLine(12)
    .refine((v) => v === '' || /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(v), { message: 'Use a language tag such as en or de-CH.' })
    .transform((v) => v || null),
  body: multiLine(100_000),
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
