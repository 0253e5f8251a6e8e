import type { EventDetail } from '../events/repo';
import { eventTypeLabel } from '../events/taxonomy';
import { formatPartialDate } from '../lib/partialDate';

/** Escapes text for XML content and attribute values. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Entry ids stay the same whatever host serves the feed (RFC 4151 tag URIs). */
export const eventEntryId = (publicId: string) => `tag:vendor-policy-tracker,2026:event/${publicId}`;

export interface AtomFeed {
  id: string;
  title: string;
  selfUrl: string;
  pageUrl: string;
  baseUrl: string;
  events: EventDetail[];
}

/** An Atom 1.0 document (RFC 4287) of new and changed events, newest change first. */
export function renderAtom(feed: AtomFeed): string {
  const updated = feed.events.reduce((max, e) => (e.updatedAt > max ? e.updatedAt : max), '1970-01-01T00:00:00.000Z');
  const entries = feed.events.map((e) => {
    const link = `${feed.baseUrl}/events/${encodeURIComponent(e.publicId)}`;
    const facts = [formatPartialDate(e.occurredOn), eventTypeLabel(e.type), e.jurisdiction, e.actor?.name].filter(Boolean).join(' · ');
    const sources = e.citations.map((c) => `${c.source.publisher ? `${c.source.publisher}: ` : ''}${c.source.title}`).join('; ');
    return [
      '  <entry>',
      `    <id>${xmlEscape(eventEntryId(e.publicId))}</id>`,
      `    <title>${xmlEscape(e.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${xmlEscape(link)}"/>`,
      `    <published>${xmlEscape(e.createdAt)}</published>`,
      `    <updated>${xmlEscape(e.updatedAt)}</updated>`,
      ...e.vendors.map((v) => `    <category term="${xmlEscape(v.slug)}" label="${xmlEscape(v.name)}"/>`),
      `    <category term="${xmlEscape(e.type)}" label="${xmlEscape(eventTypeLabel(e.type))}"/>`,
      `    <summary type="text">${xmlEscape(`${facts}. ${e.summary}${sources ? ` Sources: ${sources}.` : ''}`)}</summary>`,
      '  </entry>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xmlEscape(feed.id)}</id>`,
    `  <title>${xmlEscape(feed.title)}</title>`,
    `  <updated>${xmlEscape(updated)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlEscape(feed.selfUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlEscape(feed.pageUrl)}"/>`,
    '  <author><name>Vendor Policy Tracker</name></author>',
    '  <generator>Vendor Policy Tracker</generator>',
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
