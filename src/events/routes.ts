import { Router, type Request } from 'express';
import type { Db } from '../db/knex';
import type { AppContext } from '../http/context';
import { type FormSpec, formVersion, submitForm } from '../http/formFlow';
import { editorOf, requireRole } from '../accounts/middleware';
import { createEvent, deleteEvent, restoreEvent, updateEvent } from './editing';
import { sendEventsCsv } from './export';
import type { SiteLoad } from '../http/siteLoad';
import { parseTimelineQuery } from './filters';
import type { EventDetail } from './service';
import { type EventFormValues, parseEventForm, readEventForm } from './schema';
import { getEvent, getEventHistory, listEventFormChoices, listTrash } from './service';
import { EVENT_RELATIONS, EVENT_TYPES } from './taxonomy';

const EVENT_FIELDS = [
  { name: 'title', label: 'Title' },
  { name: 'summary', label: 'Summary' },
  { name: 'type', label: 'Type' },
  { name: 'jurisdiction', label: 'Jurisdiction' },
  { name: 'actor', label: 'Acting body' },
  { name: 'affected', label: 'Affected' },
  { name: 'vendors', label: 'Vendors' },
  { name: 'occurred_on', label: 'Date' },
  { name: 'effective_on', label: 'In force from' },
  { name: 'links', label: 'Related events' },
  { name: 'citations', label: 'Citations' },
];

export function eventFormValues(e: EventDetail): EventFormValues {
  return {
    title: e.title,
    summary: e.summary,
    type: e.type,
    jurisdiction: e.jurisdiction,
    actor: e.actor?.slug ?? '',
    affected: e.affected.map((a) => a.slug),
    vendors: e.vendors.map((v) => v.slug),
    occurred_on: e.occurredOn,
    effective_on: e.effectiveOn ?? '',
    links: e.linksOut.map((l) => ({ relation: l.relation, event: l.event.publicId })),
    citations: e.citations.map((c) => ({
      source_id: String(c.source.id),
      url: '',
      title: '',
      publisher: '',
      published_on: '',
      reliability: '',
      quote: c.quote,
      locator: c.locator,
    })),
    confirm_duplicate: '',
    version: String(e.version),
  };
}

const eventForm: FormSpec<EventDetail, EventFormValues> = {
  view: 'events/form',
  fields: EVENT_FIELDS,
  toFormValues: eventFormValues,
  display(values, field) {
    if (field === 'links') return values.links.map((l) => `${l.relation}: ${l.event}`).join('\n');
    if (field === 'citations')
      return values.citations
        .map((c) => `${c.source_id ? `source ${c.source_id}` : c.title || c.url}${c.quote ? ` “${c.quote}”` : ''}`)
        .join('\n');
    const v = (values as unknown as Record<string, unknown>)[field];
    return Array.isArray(v) ? v.join(', ') : String(v ?? '');
  },
};

/** What the event form needs to offer: vendors, actors, sources, events, types, relations. */
async function formChoices(db: Db) {
  return { ...(await listEventFormChoices(db)), types: EVENT_TYPES, relations: EVENT_RELATIONS };
}

function emptyEventForm(req: Request): EventFormValues {
  const vendor = typeof req.query.vendor === 'string' ? req.query.vendor : '';
  return {
    title: '',
    summary: '',
    type: '',
    jurisdiction: '',
    actor: '',
    affected: [],
    vendors: vendor ? [vendor] : [],
    occurred_on: '',
    effective_on: '',
    links: [],
    citations: [],
    confirm_duplicate: '',
    version: '',
  };
}

export function eventRoutes({ db }: AppContext, siteLoad: SiteLoad): Router {
  const router = Router();
  const analyst = requireRole('analyst');

  router.get('/events.csv', async (req, res) => {
    const { filter, values } = await parseTimelineQuery(db, req.query, { allowVendor: true });
    await sendEventsCsv(db, req, res, filter, values.vendor || 'all', {
      giveWay: siteLoad.giveWay(res),
      othersActive: () => siteLoad.answering > 0,
    });
  });

  router.get('/events/new', analyst, async (req, res) => {
    res.render('events/form', {
      ...(await formChoices(db)),
      title: 'New event',
      event: null,
      values: emptyEventForm(req),
      errors: {},
      conflict: null,
      confirmation: null,
    });
  });

  router.post('/events', analyst, async (req, res) => {
    const typed = readEventForm(req.body);
    await submitForm(req, res, eventForm, typed, { ...(await formChoices(db)), title: 'New event', event: null }, async () => {
      const publicId = await createEvent(db, editorOf(req), parseEventForm(typed));
      return { redirect: `/events/${encodeURIComponent(publicId)}`, flash: 'Event added.' };
    });
  });

  router.get('/events/:id/edit', analyst, async (req, res) => {
    const event = await getEvent(db, String(req.params.id));
    res.render('events/form', {
      ...(await formChoices(db)),
      title: `Edit: ${event.title}`,
      event,
      values: eventFormValues(event),
      errors: {},
      conflict: null,
      confirmation: null,
    });
  });

  router.post('/events/:id', analyst, async (req, res) => {
    const event = await getEvent(db, String(req.params.id));
    const typed = readEventForm(req.body);
    const locals = {
      ...(await formChoices(db)),
      title: `Edit: ${event.title}`,
      event,
      reloadHref: `/events/${encodeURIComponent(event.publicId)}/edit`,
    };
    await submitForm(req, res, eventForm, typed, locals, async () => {
      await updateEvent(db, editorOf(req), event.publicId, formVersion(req.body), parseEventForm(typed));
      return { redirect: `/events/${encodeURIComponent(event.publicId)}`, flash: 'Event saved.' };
    });
  });

  router.post('/events/:id/delete', analyst, async (req, res) => {
    const row = await deleteEvent(db, editorOf(req), String(req.params.id));
    req.session.flash = `“${row.title}” moved to the trash. An analyst can restore it from there.`;
    res.redirect(303, '/trash');
  });

  router.post('/events/:id/restore', analyst, async (req, res) => {
    const row = await restoreEvent(db, editorOf(req), String(req.params.id));
    req.session.flash = `“${row.title}” restored.`;
    res.redirect(303, `/events/${encodeURIComponent(row.public_id)}`);
  });

  router.get('/trash', analyst, async (_req, res) => {
    res.render('events/trash', { title: 'Trash', items: await listTrash(db) });
  });

  // The public changelog. A deleted event's history is for analysts only.
  router.get('/events/:id/history', async (req, res) => {
    const { row, revisions } = await getEventHistory(db, String(req.params.id), !!req.user);
    res.render('history/show', {
      title: `History: ${row.title}`,
      what: 'event',
      backHref: `/events/${encodeURIComponent(row.public_id)}`,
      backLabel: row.title,
      inTrash: !!row.deleted_at,
      revisions,
    });
  });

  router.get('/events/:id', async (req, res) => {
    const event = await getEvent(db, req.params.id);
    res.render('events/show', { title: event.title, event });
  });

  return router;
}
