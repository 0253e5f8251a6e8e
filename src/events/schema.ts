import { z } from 'zod';
import { jurisdictionField, partialDateField, slugField } from '../lib/fields';
import { asList, asText, multiLine, oneLine, required } from '../lib/input';
import { LIMITS } from '../lib/limits';
import { sourceCoreShape } from '../sources/schema';
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

export const EventInput = z
  .object({
    title: required(oneLine(LIMITS.event.title), 'Enter a title.'),
    summary: multiLine(LIMITS.event.summary),
    type: z.enum(EVENT_TYPE_KEYS, { message: 'Choose the type of event.' }),
    jurisdiction: required(jurisdictionField, 'Choose the jurisdiction: a country, the European Union (EU) or International (INT).'),
    actor: slugField(LIMITS.actor.slug),
    affected: z.array(slugField(LIMITS.actor.slug)).max(MAX_VENDORS, `Choose at most ${MAX_VENDORS}.`),
    vendors: z.array(slugField(LIMITS.vendor.slug).refine((v) => v !== '')).min(1, 'Choose at least one vendor.').max(MAX_VENDORS, `Choose at most ${MAX_VENDORS}.`),
    occurred_on: partialDateField(LIMITS.event.occurred_on).refine((v) => v !== null, { message: 'Enter the date: YYYY, YYYY-MM or YYYY-MM-DD.' }),
    effective_on: partialDateField(LIMITS.event.effective_on),
    links: z.array(LinkInput).max(MAX_LINKS, `Link at most ${MAX_LINKS} events.`),
    citations: z.array(CitationInput).min(1, 'Cite at least one source.').max(MAX_CITATIONS, `Cite at most ${MAX_CITATIONS} sources.`),
    confirm_duplicate: z.boolean(),
  });
export type EventInput = z.output<typeof EventInput>;
export type CitationInput = z.output<typeof CitationInput>;

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
  const citationColumns = Object.fromEntries(CITATION_FIELDS.map((f) => [f, column(`citation_${f}`)])) as Record<(typeof CITATION_FIELDS)[number], string[]>;
  const rows = Math.max(...CITATION_FIELDS.map((f) => citationColumns[f].length));
  const citations = Array.from({ length: rows }, (_, i) => Object.fromEntries(CITATION_FIELDS.map((f) => [f, citationColumns[f][i] ?? ''])) as EventFormValues['citations'][number]).filter((c) =>
    Object.values(c).some((v) => v.trim() !== ''),
  );
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
