import type { Db } from '../db/knex';
import { hydrateEvents, findEventRowsCitingSource, type EventDetail } from '../events/repo';
import { NotFound } from '../http/errors';
import { type Source, findSourceById } from './repo';

export interface SourcePage {
  source: Source;
  /** Events citing the source, each with the quote it takes from it. */
  events: Array<{ event: EventDetail; quote: string; locator: string }>;
}

export async function getSourcePage(db: Db, rawId: string): Promise<SourcePage> {
  const id = /^\d{1,15}$/.test(rawId) ? Number(rawId) : NaN;
  const source = Number.isSafeInteger(id) ? await findSourceById(db, id) : null;
  if (!source) throw new NotFound(`No source has the id "${rawId}".`);
  const events = await hydrateEvents(db, await findEventRowsCitingSource(db, source.id));
  return {
    source,
    events: events.map((event) => {
      const citation = event.citations.find((c) => c.source.id === source.id);
      return { event, quote: citation?.quote ?? '', locator: citation?.locator ?? '' };
    }),
  };
}
