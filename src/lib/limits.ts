/**
 * The most characters each field accepts, defined once. The zod schemas check input against
 * these numbers (so the CSV import, which parses through the same schemas, does too) and the
 * views take their `maxlength` from them (app.locals.LIMITS).
 *
 * The migrations in db/migrations hold the same numbers as column sizes (varchar(n)). They are
 * written out there because a migration never changes once it has landed: a longer limit for
 * a sized column needs a new migration as well as a change here. test/unit/limits.test.ts
 * compares every limit with the migrated schema on each database, so the two cannot drift
 * apart unnoticed. Text columns (descriptions, summaries, quotes, stored text) have no size:
 * for them the number here is the only limit.
 */
const limits = {
  vendor: {
    slug: 80,
    name: 200,
    /** The other names, one a line, as typed (stored as text). */
    aliases: 2000,
    /** Each one of the other names. */
    alias: 200,
    website: 2048,
    description: 5000,
  },
  actor: { slug: 80, name: 200, description: 5000 },
  event: { public_id: 120, title: 300, summary: 5000, occurred_on: 10, effective_on: 10 },
  source: {
    url: 2048,
    title: 500,
    publisher: 200,
    author: 200,
    published_on: 10,
    archived_url: 2048,
    language: 12,
    reliability: 1,
    body: 100_000,
  },
  citation: {
    /** A recorded source's id as the event form posts it (digits; the column is an integer). */
    source_id: 15,
    quote: 5000,
    locator: 200,
  },
  user: { email: 254, display_name: 120, password: 256 },
  /**
   * A typed country or jurisdiction code. Longer than any code on purpose: a typed name such as
   * "Germany" reaches the code check and gets the message about codes, not a length complaint.
   */
  typed: { code: 100 },
  /** The timeline filters in the query string: `from`/`to` dates and the `q` words. */
  filter: { date: 10, words: 200 },
  /** The search page's words. */
  search: { words: 500 },
} as const;

for (const group of Object.values(limits)) Object.freeze(group);

export const LIMITS = Object.freeze(limits);
export type Limits = typeof LIMITS;
