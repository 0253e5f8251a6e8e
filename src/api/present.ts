import type { EventDetail } from '../events/repo';
import { eventTypeLabel } from '../events/taxonomy';
import { precisionOf } from '../lib/partialDate';
import type { Source, SourceSummary } from '../sources/repo';
import type { VendorWithStats } from '../vendors/repo';

/** The JSON shapes of the read-only API. Field names follow the CSV columns. */

export function vendorJson(v: VendorWithStats) {
  return {
    slug: v.slug,
    name: v.name,
    aliases: v.aliases,
    country: v.country,
    website: v.website,
    description: v.description,
    event_count: v.eventCount,
    first_occurred: v.firstOccurred,
    last_occurred: v.lastOccurred,
    updated_at: v.updatedAt,
  };
}

/**
 * Not `sourceFields` (sources/fields.ts): JSON keeps null for what is not recorded where the
 * form and CSV have empty text, and adds the id and the time of the last change.
 */
export function sourceJson(s: SourceSummary) {
  return {
    id: s.id,
    url: s.url,
    title: s.title,
    publisher: s.publisher,
    author: s.author,
    published_on: s.publishedOn,
    archived_url: s.archivedUrl,
    language: s.language,
    reliability: s.reliability,
    updated_at: s.updatedAt,
  };
}

/** A source on its own endpoint: with its stored text, which lists (an event's citations) leave out. */
export function sourceWithTextJson(s: Source) {
  const { updated_at, ...fields } = sourceJson(s);
  return { ...fields, body: s.body, updated_at };
}

export function eventJson(e: EventDetail) {
  return {
    id: e.publicId,
    title: e.title,
    summary: e.summary,
    type: e.type,
    type_label: eventTypeLabel(e.type),
    jurisdiction: e.jurisdiction,
    occurred_on: e.occurredOn,
    date_precision: precisionOf(e.occurredOn),
    effective_on: e.effectiveOn,
    actor: e.actor ? { slug: e.actor.slug, name: e.actor.name, kind: e.actor.kind } : null,
    affected: e.affected.map((a) => ({ slug: a.slug, name: a.name, kind: a.kind })),
    vendors: e.vendors.map((v) => ({ slug: v.slug, name: v.name })),
    citations: e.citations.map((c) => ({ source: sourceJson(c.source), quote: c.quote, locator: c.locator })),
    links: e.linksOut.map((l) => ({ relation: l.relation, event_id: l.event.publicId })),
    linked_from: e.linksIn.map((l) => ({ relation: l.relation, event_id: l.event.publicId })),
    version: e.version,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
  };
}
