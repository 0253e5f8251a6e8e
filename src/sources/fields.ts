import type { Source } from './repo';
import { SOURCE_FIELDS } from './schema';

/** A source's field names, spelt as its form, its history and the CSV columns spell them. */
export type SourceFieldName = (typeof SOURCE_FIELDS)[number]['name'];

/** A source as one text per field, empty when not recorded: what its form shows, its history compares and the reports print. */
export type SourceFields = Record<SourceFieldName, string>;

/** Fields already under their own names (form input, parsed or typed) as text, in form order. */
export function sourceFieldsOf(data: Partial<Record<SourceFieldName, string | null>>): SourceFields {
  return Object.fromEntries(SOURCE_FIELDS.map((f) => [f.name, data[f.name] ?? ''])) as SourceFields;
}

/**
 * A stored source as its fields: the one mapping from a `Source` to the field names, used by
 * the form, the history snapshot and the reports. Two shapes stay apart on purpose: the
 * database row (`sourceColumnsOf` in repo.ts keeps null for "not recorded" and adds the
 * derived `published_start`) and the JSON API (`sourceJson` in api/present.ts keeps null and
 * the id and timestamps, and shows the stored text only on a source's own page). It takes a
 * whole Source, text included, so that a form is never filled from a summary (a citation's
 * source) and saved back without the text.
 */
export function sourceFields(s: Source): SourceFields {
  return sourceFieldsOf({
    url: s.url,
    title: s.title,
    publisher: s.publisher,
    author: s.author,
    published_on: s.publishedOn,
    archived_url: s.archivedUrl,
    language: s.language,
    reliability: s.reliability,
    body: s.body,
  });
}
