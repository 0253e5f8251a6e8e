import { z } from 'zod';
import { jurisdictionField, partialDateField, slugField } from '../lib/fields';
import { asList, asText, multiLine, oneLine, parseForm, required } from '../lib/input';
import { isJurisdictionCode } from '../lib/jurisdiction';
import { LIMITS } from '../lib/limits';
import { PartialDateError, parsePartialDate } from '../lib/partialDate';
import { SLUG_PATTERN } from '../lib/slug';
import { normaliseUrl, UrlError } from '../lib/url';
import { RELIABILITY_GRADES, sourceCoreShape } from '../sources/schema';
import { EVENT_RELATION_KEYS, EVENT_TYPE_KEYS } from './taxonomy';

export const MAX_CITATIONS = 30;
export const MAX_LINKS = 30;
export const MAX_VENDORS = 30;

const CitationInput = z
  .object({
    /** An existing source's id; empty when the row describes a new source. */
    source_id: oneLine(LIMITS.citation.source_id).refine((v) => v === '' || /^\d+$/.test(v), { message: 'Choose a source from the list.' }),
    ...sourceCoreShape,
    title: oneLine(LIMITS.source.title),
    quote: multiLine(LIMITS.citation.quote),
    locator: oneLine(LIMITS.citation.locator),
  })
  .refine((c) => !!c.source_id || !!String(c.title ?? '').trim(), {
    path: ['title'],
    message: 'Enter the title of the new source, or choose a recorded one.',
    // Checked even when another field of the row is wrong, so every message shows at once.
    when: () => true,
  });

const LinkInput = z.object({
  relation: z.enum(EVENT_RELATION_KEYS, { message: 'Choose how the events relate.' }),
  event: required(oneLine(LIMITS.event.public_id), 'Choose the related event.'),
});

export const EventInput = z.object({
  title: required(oneLine(LIMITS.event.title), 'Enter a title.'),
  summary: multiLine(LIMITS.event.summary),
  type: z.enum(EVENT_TYPE_KEYS, { message: 'Choose the type of event.' }),
  jurisdiction: required(jurisdictionField, 'Choose the jurisdiction: a country, the European Union (EU) or International (INT).'),
  actor: slugField(LIMITS.actor.slug),
  affected: z.array(slugField(LIMITS.actor.slug)).max(MAX_VENDORS, `Choose at most ${MAX_VENDORS}.`),
  vendors: z
    .array(slugField(LIMITS.vendor.slug).refine((v) => v !== ''))
    .min(1, 'Choose at least one vendor.')
    .max(MAX_VENDORS, `Choose at most ${MAX_VENDORS}.`),
  occurred_on: partialDateField(LIMITS.event.occurred_on).refine((v) => v !== null, {
    message: 'Enter the date: YYYY, YYYY-MM or YYYY-MM-DD.',
  }),
  effective_on: partialDateField(LIMITS.event.effective_on),
  links: z.array(LinkInput).max(MAX_LINKS, `Link at most ${MAX_LINKS} events.`),
  citations: z.array(CitationInput).min(1, 'Cite at least one source.').max(MAX_CITATIONS, `Cite at most ${MAX_CITATIONS} sources.`),
  confirm_duplicate: z.boolean(),
});
export type EventInput = z.output<typeof EventInput>;
export type CitationInput = z.output<typeof CitationInput>;

/**
 * What the import hands to the event check: text cells, lists already split; the form's
 * values (EventFormValues, below) without its version, with the duplicate confirmation decided.
 */
export type EventInputCells = Omit<EventFormValues, 'confirm_duplicate' | 'version'> & { confirm_duplicate: boolean };

// Text that needs none of the text fields' clean-up but trimming: printable ASCII, and
// other characters only when already NFC (checked below) and clear of anything the fields
// refuse, with a margin (every control, the zero-width and direction marks, the separators
// and invisible operators). A superset of what the fields refuse, so a value taken here is
// taken by them too, unchanged but for the trimming.
const PLAIN_ONE_LINE = /^[\x20-\x7e]*$/;
const PLAIN_MULTI_LINE = /^[\x20-\x7e\t\n]*$/;
const SUSPECT_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;
const SUSPECT_MULTI_LINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;
const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPE_KEYS);
const EVENT_RELATION_SET: ReadonlySet<string> = new Set(EVENT_RELATION_KEYS);

/** A text field's value when plain, else null (the caller then asks zod). */
function plainText(v: unknown, max: number, multiLine: boolean): string | null {
  if (typeof v !== 'string') return null;
  if (
    !(multiLine ? PLAIN_MULTI_LINE : PLAIN_ONE_LINE).test(v) &&
    ((multiLine ? SUSPECT_MULTI_LINE : SUSPECT_ONE_LINE).test(v) || v.normalize('NFC') !== v)
  )
    return null;
  const t = v.trim();
  return t.length <= max ? t : null;
}

function plainSlug(v: unknown): string | null {
  const t = plainText(v, LIMITS.vendor.slug, false);
  return t === null || (t !== '' && !SLUG_PATTERN.test(t)) ? null : t;
}

/** A partial date's value, null for empty, undefined when not plainly a date. */
function plainDate(v: unknown): string | null | undefined {
  const t = plainText(v, LIMITS.event.occurred_on, false);
  if (t === null) return undefined;
  if (t === '') return null;
  try {
    return parsePartialDate(t).value;
  } catch (err) {
    if (err instanceof PartialDateError) return undefined;
    throw err;
  }
}

function plainSlugs(list: unknown, min: number, allowEmpty: boolean): string[] | null {
  if (!Array.isArray(list) || list.length < min || list.length > MAX_VENDORS) return null;
  const out: string[] = [];
  for (const v of list) {
    const slug = plainSlug(v);
    if (slug === null || (!allowEmpty && slug === '')) return null;
    out.push(slug);
  }
  return out;
}

/**
 * EventInput's answer for a row in the common, valid shape, computed without zod's
 * machinery (the import checks a million rows); null whenever anything is unusual or
 * wrong, and the caller then asks EventInput itself, for the same data or its messages.
 * test/unit/import-fast-paths.test.ts holds the two to the same answers.
 */
export function parseEventInputFast(input: EventInputCells): EventInput | null {
  const title = plainText(input.title, LIMITS.event.title, false);
  const summary = plainText(input.summary, LIMITS.event.summary, true);
  if (!title || summary === null || !EVENT_TYPE_SET.has(input.type)) return null;
  const jurisdiction = plainText(input.jurisdiction, LIMITS.typed.code, false)?.toUpperCase();
  if (!jurisdiction || !isJurisdictionCode(jurisdiction)) return null;
  const actor = plainSlug(input.actor);
  const affected = plainSlugs(input.affected, 0, true);
  const vendors = plainSlugs(input.vendors, 1, false);
  const occurred = plainDate(input.occurred_on);
  const effective = plainDate(input.effective_on);
  if (actor === null || !affected || !vendors || !occurred || effective === undefined || typeof input.confirm_duplicate !== 'boolean')
    return null;
  if (!Array.isArray(input.links) || input.links.length > MAX_LINKS) return null;
  const links: EventInput['links'] = [];
  for (const l of input.links) {
    const event = plainText(l?.event, LIMITS.event.public_id, false);
    if (!event || !EVENT_RELATION_SET.has(l.relation)) return null;
    links.push({ relation: l.relation as EventInput['links'][number]['relation'], event });
  }
  if (!Array.isArray(input.citations) || input.citations.length < 1 || input.citations.length > MAX_CITATIONS) return null;
  const citations: CitationInput[] = [];
  for (const c of input.citations) {
    const citation = plainCitation(c);
    if (!citation) return null;
    citations.push(citation);
  }
  return {
    title,
    summary,
    type: input.type as EventInput['type'],
    jurisdiction,
    actor,
    affected,
    vendors,
    occurred_on: occurred,
    effective_on: effective,
    links,
    citations,
    confirm_duplicate: input.confirm_duplicate,
  };
}

function plainCitation(c: EventInputCells['citations'][number] | undefined): CitationInput | null {
  if (!c || typeof c !== 'object') return null;
  const sourceId = plainText(c.source_id, LIMITS.citation.source_id, false);
  const urlText = plainText(c.url, LIMITS.source.url, false);
  const title = plainText(c.title, LIMITS.source.title, false);
  const publisher = plainText(c.publisher, LIMITS.source.publisher, false);
  const publishedOn = plainDate(c.published_on);
  const reliability = plainText(c.reliability, LIMITS.source.reliability, false)?.toUpperCase();
  const quote = plainText(c.quote, LIMITS.citation.quote, true);
  const locator = plainText(c.locator, LIMITS.citation.locator, false);
  if (sourceId === null || (sourceId !== '' && !/^\d+$/.test(sourceId)) || urlText === null || title === null || publisher === null)
    return null;
  if (
    publishedOn === undefined ||
    reliability === undefined ||
    (reliability !== '' && !(reliability in RELIABILITY_GRADES)) ||
    quote === null ||
    locator === null
  )
    return null;
  if (!sourceId && !title) return null;
  let url: string | null = null;
  if (urlText) {
    try {
      url = normaliseUrl(urlText);
    } catch (err) {
      if (err instanceof UrlError) return null;
      throw err;
    }
  }
  return {
    source_id: sourceId,
    url,
    title,
    publisher,
    published_on: publishedOn,
    reliability: (reliability || null) as CitationInput['reliability'],
    quote,
    locator,
  };
}

const CITATION_FIELDS = ['source_id', 'url', 'title', 'publisher', 'published_on', 'reliability', 'quote', 'locator'] as const;

/** What the event form posts, as typed: kept to re-render the form with nothing lost. */
export interface EventFormValues {
  title: string;
  summary: string;
  type: string;
  jurisdiction: string;
  actor: string;
  affected: string[];
  vendors: string[];
  occurred_on: string;
  effective_on: string;
  links: Array<{ relation: string; event: string }>;
  citations: Array<Record<(typeof CITATION_FIELDS)[number], string>>;
  confirm_duplicate: string;
  version: string;
}

/** Reads the posted form. Repeated fields (`link_event`, `citation_title`, ...) line up by position. */
export function readEventForm(body: Record<string, unknown>): EventFormValues {
  const column = (name: string) => asList(body[name]);
  const linkRelations = column('link_relation');
  const linkEvents = column('link_event');
  // Blank rows (the spare ones the form always offers) are dropped here, so error
  // positions match the rows shown when the form comes back.
  const links = linkEvents.map((event, i) => ({ relation: linkRelations[i] ?? '', event })).filter((l) => l.event.trim() !== '');
  const citationColumns = Object.fromEntries(CITATION_FIELDS.map((f) => [f, column(`citation_${f}`)])) as Record<
    (typeof CITATION_FIELDS)[number],
    string[]
  >;
  const rows = Math.max(...CITATION_FIELDS.map((f) => citationColumns[f].length));
  const citations = Array.from(
    { length: rows },
    (_, i) => Object.fromEntries(CITATION_FIELDS.map((f) => [f, citationColumns[f][i] ?? ''])) as EventFormValues['citations'][number],
  ).filter((c) => Object.values(c).some((v) => v.trim() !== ''));
  return {
    title: asText(body.title),
    summary: asText(body.summary),
    type: asText(body.type),
    jurisdiction: asText(body.jurisdiction),
    actor: asText(body.actor),
    affected: column('affected').filter(Boolean),
    vendors: column('vendors').filter(Boolean),
    occurred_on: asText(body.occurred_on),
    effective_on: asText(body.effective_on),
    links,
    citations,
    confirm_duplicate: asText(body.confirm_duplicate),
    version: asText(body.version),
  };
}

/** The form values in the shape EventInput checks. */
export function eventInputOf(values: EventFormValues): unknown {
  return { ...values, confirm_duplicate: values.confirm_duplicate === '1' };
}

/** Checks the form values: the typed input the event services take, or FormInvalid with a message per field. */
export function parseEventForm(values: EventFormValues): EventInput {
  return parseForm(EventInput, eventInputOf(values));
}
