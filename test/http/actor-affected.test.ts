import request from 'supertest';
import type { Db } from '../../src/db/knex';
import { ACTOR_PAGE_LIMIT } from '../../src/events/service';
import { eventRowsAffectingActorSql } from '../../src/events/repo';
import { createTestUser } from '../helpers/users';
import { eventIdsOf, hrefsOf, parseHtml, sectionOf, submittedValues } from '../helpers/dom';
import { type Browser, signedInBrowser } from '../helpers/session';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { rawEventRow } from './support';

jest.setTimeout(120000);

const NOW = '2026-01-01T00:00:00.000Z';
const ANA = { email: 'ana.affected@example.org', password: 'ana-password-000041', display_name: 'Ana Affected', role: 'analyst' as const };
/** The demo event that affected Europol (and No More Ransom). */
const FROZEN = '2018-06-13-kaspersky-freezes-europol-and-no-more-ransom-work';
/** More events than a page of the actor's "What affected it" list holds. */
const EVENTS = ACTOR_PAGE_LIMIT + 70;

const dayOf = (k: number) => `${2000 + (k % 20)}-${String((k % 12) + 1).padStart(2, '0')}-${String((k % 27) + 1).padStart(2, '0')}`;

/** Links whose copy of the event's date is not the event's date (db/migrations/202611291710_affected_timeline.ts). */
async function staleDates(db: Db): Promise<unknown[]> {
  return db('event_affected_actors as ea')
    .join('events as e', 'e.id', 'ea.event_id')
    .whereRaw('ea.occurred_start is null or ea.occurred_start <> e.occurred_start')
    .select('ea.event_id', 'ea.actor_id', 'ea.occurred_start', { event_start: 'e.occurred_start' });
}

/** Following the "later events that affected it" links from the actor's page: the events, in the order shown. */
async function affectedListed(t: TestApp, slug: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let href: string | null = `/actors/${slug}`;
  let pages = 0;
  while (href) {
    const res = await request(t.app).get(href);
    expect({ href, status: res.status }).toEqual({ href, status: 200 });
    const section = sectionOf(parseHtml(res.text), 'What affected it');
    ids.push(...eventIdsOf(section));
    href = hrefsOf(section, 'a[rel="next"][href*="affected_after="]')[0] ?? null;
    pages += 1;
    if (pages > 20) throw new Error('paging does not end');
  }
  return { ids, pages };
}

/** The live events that affected the actor, in date order, as the database has them now. */
async function expectedAffected(db: Db, slug: string): Promise<string[]> {
  return (await db('events')
    .join('event_affected_actors as ea', 'ea.event_id', 'events.id')
    .join('actors as a', 'a.id', 'ea.actor_id')
    .where('a.slug', slug)
    .whereNull('events.deleted_at')
    .orderBy([{ column: 'events.occurred_start' }, { column: 'events.id' }])
    .pluck('events.public_id')) as string[];
}

describeEachDatabase('the events that affected an actor on %s', (kind) => {
  let t: TestApp;
  let ana: Browser;
  let actorId: number;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await createTestUser(t.db, ANA);
    ana = await signedInBrowser(t.app, ANA);
    const [actor] = await t
      .db('actors')
      .insert({
        slug: 'affected-body',
        name: 'Affected Body',
        kind: 'government',
        description: '',
        version: 1,
        created_at: NOW,
        updated_at: NOW,
      })
      .returning('id');
    actorId = Number(typeof actor === 'object' ? actor.id : actor);
    // Written straight to the tables, as another process or a bulk load would: the triggers keep the dates.
    const rows = Array.from({ length: EVENTS }, (_, k) =>
      rawEventRow({
        public_id: `affected-${k}`,
        title: `Affected event ${k}`,
        occurred_on: dayOf(k),
        occurred_start: dayOf(k),
        deleted_at: k % 31 === 0 ? NOW : null,
      }),
    );
    for (let i = 0; i < rows.length; i += 50) await t.db('events').insert(rows.slice(i, i + 50));
    const ids = (await t.db('events').where('public_id', 'like', 'affected-%').pluck('id')) as number[];
    for (let i = 0; i < ids.length; i += 100)
      await t.db('event_affected_actors').insert(ids.slice(i, i + 100).map((id) => ({ event_id: Number(id), actor_id: actorId })));
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  test('every link carries its event date: from the demo loader and from rows written straight to the tables', async () => {
    expect(Number((await t.db('event_affected_actors').count({ n: '*' }).first())?.n)).toBeGreaterThan(EVENTS);
    expect(await staleDates(t.db)).toEqual([]);
  });

  test('the list pages through every live event that affected the actor once, in date order', async () => {
    const { ids, pages } = await affectedListed(t, 'affected-body');
    expect(pages).toBeGreaterThan(1);
    expect(ids).toEqual(await expectedAffected(t.db, 'affected-body'));
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('an event whose date changes (written straight to the table) moves in the list; paging still visits each once', async () => {
    // Move some events a century on and some back, across page boundaries.
    await t
      .db('events')
      .whereIn('public_id', ['affected-1', 'affected-2', 'affected-40'])
      .update({ occurred_on: '2099-05', occurred_start: '2099-05-01' });
    await t
      .db('events')
      .whereIn('public_id', ['affected-250', 'affected-251'])
      .update({ occurred_on: '1990', occurred_start: '1990-01-01' });
    expect(await staleDates(t.db)).toEqual([]);
    const { ids } = await affectedListed(t, 'affected-body');
    expect(ids).toEqual(await expectedAffected(t.db, 'affected-body'));
    expect(ids.slice(0, 2)).toEqual(['affected-250', 'affected-251']);
    expect(ids.slice(-3)).toEqual(['affected-1', 'affected-2', 'affected-40']);
  });

  test('an event edited through the form takes its new date into the actor lists it affects', async () => {
    const path = `/events/${FROZEN}`;
    const form = submittedValues(parseHtml((await ana.get(`${path}/edit`)).text), `form[method="post"][action="${path}"]`);
    delete form._csrf;
    expect(form.occurred_on).toEqual(['2018-06-13']);
    expect((await ana.post(path, { ...form, occurred_on: '2030-02' })).status).toBe(303);
    expect(await staleDates(t.db)).toEqual([]);
    for (const slug of ['europol', 'no-more-ransom']) {
      const { ids } = await affectedListed(t, slug);
      expect(ids).toEqual(await expectedAffected(t.db, slug));
      expect(ids).toContain(FROZEN);
    }
    // A new link made by the form (the event now also affects our body) takes the date too.
    const again = submittedValues(parseHtml((await ana.get(`${path}/edit`)).text), `form[method="post"][action="${path}"]`);
    delete again._csrf;
    expect((await ana.post(path, { ...again, affected: [...(again.affected ?? []), 'affected-body'] })).status).toBe(303);
    expect(await staleDates(t.db)).toEqual([]);
    const { ids } = await affectedListed(t, 'affected-body');
    expect(ids).toEqual(await expectedAffected(t.db, 'affected-body'));
    expect(ids).toContain(FROZEN);
  });

  if (kind === 'sqlite') {
    test('a page of the list is read in order from the index, without sorting every event that affected the actor', async () => {
      for (const options of [
        { limit: ACTOR_PAGE_LIMIT + 1 },
        { limit: ACTOR_PAGE_LIMIT + 1, after: { occurredStart: '2010-01-01', id: 1 } },
      ]) {
        const q = eventRowsAffectingActorSql(t.db, actorId, options);
        const plan = (await t.db.raw(`explain query plan ${q.sql}`, q.bindings as never)) as Array<{ detail: string }>;
        const details = plan.map((p) => p.detail).join('\n');
        expect(details).toMatch(/event_affected_actor_timeline_idx/);
        expect(details).not.toMatch(/TEMP B-TREE/);
      }
    });
  }
});
