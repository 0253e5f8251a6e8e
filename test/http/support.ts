import type { Db } from '../../src/db/knex';
import type { Express } from 'express';
import request from 'supertest';

/** The demo timeline of Kaspersky Lab, oldest first (by first day, then by insertion order). */
export const KASPERSKY_TIMELINE = [
  '2017-07-11-gsa-removes-kaspersky-from-approved-vendors',
  '2017-09-13-dhs-bod-17-01-orders-removal',
  '2017-12-01-ncsc-advises-against-russian-antivirus',
  '2017-12-12-ndaa-fy2018-section-1634-ban',
  '2018-05-14-dutch-government-phases-out-kaspersky',
  '2018-05-15-kaspersky-moves-core-infrastructure-to-switzerland',
  '2018-06-13-european-parliament-cyber-defence-resolution',
  '2018-06-13-kaspersky-freezes-europol-and-no-more-ransom-work',
  '2018-06-13-kaspersky-rejects-parliament-claim',
  '2022-03-15-bsi-warns-against-kaspersky',
  '2022-03-25-fcc-covered-list-additions',
  '2024-06-20-commerce-final-determination-bans-kaspersky',
] as const;

export const GSA = KASPERSKY_TIMELINE[0];
export const DHS = KASPERSKY_TIMELINE[1];
export const NCSC = KASPERSKY_TIMELINE[2];
export const NDAA = KASPERSKY_TIMELINE[3];
export const DUTCH = KASPERSKY_TIMELINE[4];
export const SWISS_MOVE = KASPERSKY_TIMELINE[5];
export const RESOLUTION = KASPERSKY_TIMELINE[6];
export const SUSPENSION = KASPERSKY_TIMELINE[7];
export const REJECTION = KASPERSKY_TIMELINE[8];
export const BSI = KASPERSKY_TIMELINE[9];
export const FCC = KASPERSKY_TIMELINE[10];
export const COMMERCE = KASPERSKY_TIMELINE[11];

/** Undoes the escaping EJS applies to `<%= %>` output. */
export function decodeHtml(html: string): string {
  return html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The visible text of a piece of HTML, entities decoded and white space collapsed. */
export function textOf(html: string): string {
  return decodeHtml(html.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .replace(/ ([,.;])/g, '$1')
    .trim();
}

export interface EventCard {
  id: string;
  html: string;
  text: string;
}

/** The event cards of a page (`<article class="event" id="PUBLIC_ID">`), in page order. */
export function eventCards(html: string): EventCard[] {
  const cards: EventCard[] = [];
  for (const m of html.matchAll(/<article class="event" id="([^"]*)">([\s\S]*?)<\/article>/g)) {
    cards.push({ id: decodeHtml(m[1]), html: m[2], text: textOf(m[2]) });
  }
  return cards;
}

export function eventIds(html: string): string[] {
  return eventCards(html).map((c) => c.id);
}

export function card(html: string, id: string): EventCard {
  const found = eventCards(html).find((c) => c.id === id);
  if (!found) throw new Error(`No event card ${id} on the page`);
  return found;
}

/** The HTML from a heading with the given text up to the next heading of the same level (or the end). */
export function sectionAfter(html: string, heading: string, level = 2): string {
  const open = `<h${level}>${heading}</h${level}>`;
  const start = html.indexOf(open);
  if (start < 0) throw new Error(`No heading "${heading}" on the page`);
  const rest = html.slice(start + open.length);
  const next = rest.search(new RegExp(`<h${level}[ >]`));
  return next < 0 ? rest : rest.slice(0, next);
}

/** The query string for a set of filters, each value percent-encoded. */
export function qs(params: Record<string, string>): string {
  const s = new URLSearchParams(params).toString();
  return s ? `?${s}` : '';
}

/** GETs a path and returns the response with its body as raw bytes, whatever the content type. */
export async function getRaw(app: Express, path: string): Promise<request.Response & { body: Buffer }> {
  const res = await request(app)
    .get(path)
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
  return res as request.Response & { body: Buffer };
}

/** Links whose copy of their event's first day or state is not the event's (db/migrations/202611291800_vendor_link_dates.ts). */
export async function staleVendorLinks(db: Db): Promise<unknown[]> {
  return db('event_vendors as ev')
    .join('events as e', 'e.id', 'ev.event_id')
    .whereRaw(
      `ev.occurred_start is null or ev.occurred_start <> e.occurred_start or ev.live is null
       or ev.live <> case when e.deleted_at is null then 1 else 0 end`,
    )
    .select('ev.event_id', 'ev.vendor_id', 'ev.occurred_start', 'ev.live', { event_start: 'e.occurred_start' }, 'e.deleted_at');
}

/** When rawEventRow's rows were written. */
const RAW_ROW_TIME = '2026-01-01T00:00:00.000Z';

/** A row of `vendors` as a bulk load writes it straight to the table (no form, no revision, no search document). */
export function rawVendorRow(slug: string, name: string) {
  return { slug, name, aliases: '', description: '', version: 1, created_at: RAW_ROW_TIME, updated_at: RAW_ROW_TIME };
}

/**
 * A row of `events` as a bulk load or another process writes it straight to the table (no
 * form, no revision, no search document): a live US advisory with no actor unless `row` says
 * otherwise. For tests of what the triggers keep.
 */
export function rawEventRow(
  row: { public_id: string; title: string; occurred_on: string; occurred_start: string } & Partial<{
    type: string;
    jurisdiction: string;
    deleted_at: string | null;
  }>,
) {
  return {
    summary: '',
    type: 'advisory',
    jurisdiction: 'US',
    actor_id: null,
    effective_on: null,
    effective_start: null,
    version: 1,
    created_at: RAW_ROW_TIME,
    updated_at: RAW_ROW_TIME,
    deleted_at: null,
    ...row,
  };
}
