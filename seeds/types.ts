/** The shapes of the sourced demo data; each vendor file in seeds/ fills them. */
import { normaliseUrl } from '../src/lib/url';

export interface DemoVendor {
  slug: string;
  name: string;
  aliases: string[];
  country: string | null;
  website: string | null;
  description: string;
}

export interface DemoActor {
  slug: string;
  name: string;
  kind: string;
  jurisdiction: string | null;
  description: string;
}

export interface DemoSource {
  /** The key citations use: the URL, or a fixed key for a source without one. */
  key: string;
  url: string | null;
  title: string;
  publisher: string;
  publishedOn: string | null;
  language: string;
  /** File in seeds/ whose text is stored as the source's body. */
  bodyFile?: string;
}

export interface DemoCitation {
  source: string;
  /** The short phrase of the source that supports the event, word for word. */
  quote: string;
}

export interface DemoLink {
  relation: 'responds-to' | 'implements' | 'supersedes' | 'reverses';
  /** Public id of an event listed earlier. */
  to: string;
}

export interface DemoEvent {
  publicId: string;
  /** Ids this event was published under before, so a database holding them is corrected, not duplicated. */
  previousPublicIds?: string[];
  title: string;
  summary: string;
  type: string;
  jurisdiction: string;
  actor: string;
  affected?: string[];
  vendors: string[];
  occurredOn: string;
  effectiveOn?: string;
  links?: DemoLink[];
  citations: DemoCitation[];
}

/**
 * A source with an address; citations name it by the address as the sheet gives it, and it
 * is stored the way the forms store one (no tracking parameters), so both find it again.
 */
export function webSource(url: string, title: string, publisher: string, publishedOn: string | null, language = 'en'): DemoSource {
  return { key: url, url: normaliseUrl(url), title, publisher, publishedOn, language };
}
