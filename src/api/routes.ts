import { Router } from 'express';
import { parseTimelineQuery } from '../events/filters';
import { type EventCursor, getEvent, getSourcePage, listEventsAfter } from '../events/service';
import type { AppContext } from '../http/context';
import { BadParameter, singleParam } from '../lib/errors';
import { getVendor, vendorOverviewPage } from '../vendors/service';
import { eventJson, sourceWithTextJson, vendorJson } from './present';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

/** Opaque cursors: where the previous page ended, base64url-encoded. */
export function encodeCursor(c: EventCursor): string {
  return Buffer.from(`${c.occurredStart}|${c.id}`).toString('base64url');
}

export function decodeCursor(value: string): EventCursor {
  const m = /^(\d{4}-\d{2}-\d{2})\|(\d{1,15})$/.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (!m) throw new BadParameter('cursor', 'use the next_cursor value of the previous page');
  return { occurredStart: m[1], id: Number(m[2]) };
}

function parseLimit(value: unknown): number {
  if (value === undefined || value === '') return DEFAULT_LIMIT;
  if (typeof value !== 'string' || !/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > MAX_LIMIT) {
    throw new BadParameter('limit', `use a whole number from 1 to ${MAX_LIMIT}`);
  }
  return Number(value);
}

/** Read-only JSON API. Errors come back as { error: { code, message, ... } }. */
export function apiRoutes({ db }: AppContext): Router {
  const router = Router();

  router.get('/api/vendors', async (req, res) => {
    const page = await vendorOverviewPage(db, singleParam(req.query, 'cursor'), parseLimit(req.query.limit));
    res.json({ vendors: page.items.map(vendorJson), next_cursor: page.next });
  });

  router.get('/api/vendors/:slug/events', async (req, res) => {
    const vendor = await getVendor(db, req.params.slug);
    const { filter } = await parseTimelineQuery(db, req.query, { allowVendor: false });
    const limit = parseLimit(req.query.limit);
    const cursor = typeof req.query.cursor === 'string' && req.query.cursor ? decodeCursor(req.query.cursor) : undefined;
    const page = await listEventsAfter(db, { ...filter, vendorId: vendor.id }, limit, cursor);
    res.json({
      vendor: vendor.slug,
      events: page.events.map(eventJson),
      next_cursor: page.next ? encodeCursor(page.next) : null,
    });
  });

  router.get('/api/events/:id', async (req, res) => {
    res.json({ event: eventJson(await getEvent(db, req.params.id)) });
  });

  router.get('/api/sources/:id', async (req, res) => {
    const page = await getSourcePage(db, req.params.id, { after: singleParam(req.query, 'cursor') });
    res.json({
      source: sourceWithTextJson(page.source),
      cited_by: page.events.map((e) => ({ event_id: e.event.publicId, quote: e.quote, locator: e.locator })),
      next_cursor: page.next,
    });
  });

  return router;
}
