import { z } from 'zod';
import { NewUserInput } from '../../src/accounts/schema';
import { MAX_PASSWORD_LENGTH } from '../../src/accounts/password';
import { ActorInput } from '../../src/actors/schema';
import { parseTimelineQuery } from '../../src/events/filters';
import { EventInput } from '../../src/events/schema';
import { BadParameter } from '../../src/lib/errors';
import { LIMITS } from '../../src/lib/limits';
import { MAX_QUERY_CHARS } from '../../src/search/service';
import { SourceInput } from '../../src/sources/schema';
import { VendorInput } from '../../src/vendors/schema';
import { describeEachDatabase, createTestDb, type TestDb } from '../helpers/testDb';

/** The LIMITS groups that describe one table's columns. */
const TABLES = { vendor: 'vendors', actor: 'actors', event: 'events', source: 'sources', citation: 'citations', user: 'users' } as const;

/** Limits with no sized column behind them, and why; every other limit must match its column's size. */
const UNSIZED: Record<string, string> = {
  'vendor.aliases': 'text column',
  'vendor.alias': 'one line of vendors.aliases',
  'vendor.description': 'text column',
  'actor.description': 'text column',
  'event.summary': 'text column',
  'source.body': 'text column',
  'citation.source_id': 'integer column',
  'citation.quote': 'text column',
  'user.password': 'only its hash is stored',
};

/** Code columns, which a typed code must be able to exceed (see LIMITS.typed). */
const CODE_COLUMNS = [
  ['vendors', 'country'],
  ['actors', 'jurisdiction'],
  ['events', 'jurisdiction'],
] as const;

describe('LIMITS', () => {
  it('is frozen, every group too', () => {
    expect(Object.isFrozen(LIMITS)).toBe(true);
    for (const group of Object.values(LIMITS)) expect(Object.isFrozen(group)).toBe(true);
  });

  it('agrees with the limits kept beside their checks', () => {
    expect(LIMITS.user.password).toBe(MAX_PASSWORD_LENGTH);
    expect(LIMITS.search.words).toBe(MAX_QUERY_CHARS);
    expect(LIMITS.filter.date).toBe(LIMITS.event.occurred_on);
  });

  // A field that ignored its limit would accept one character more, or refuse the last one.
  const cases: Array<[string, string, z.ZodType, number]> = [
    ['vendor', 'name', VendorInput, LIMITS.vendor.name],
    ['vendor', 'aliases', VendorInput, LIMITS.vendor.aliases],
    ['vendor', 'description', VendorInput, LIMITS.vendor.description],
    ['actor', 'name', ActorInput, LIMITS.actor.name],
    ['actor', 'description', ActorInput, LIMITS.actor.description],
    ['event', 'title', EventInput, LIMITS.event.title],
    ['event', 'summary', EventInput, LIMITS.event.summary],
    ['source', 'title', SourceInput, LIMITS.source.title],
    ['source', 'publisher', SourceInput, LIMITS.source.publisher],
    ['source', 'author', SourceInput, LIMITS.source.author],
    ['source', 'body', SourceInput, LIMITS.source.body],
    ['user', 'display_name', NewUserInput, LIMITS.user.display_name],
  ];
  it.each(cases)('%s.%s: the schema takes the limit and refuses one more', (_what, field, schema, limit) => {
    // Line breaks make the vendor's aliases many short names, so only the total counts.
    const text = (n: number) => (field === 'aliases' ? 'a\n'.repeat(n).slice(0, n) : 'a'.repeat(n));
    const issueOn = (value: string) => schema.safeParse({ [field]: value }).error?.issues.find((i) => i.path.join('.') === field)?.message;
    expect(issueOn(text(limit))).toBeUndefined();
    expect(issueOn(text(limit + 1))).toBe(`Use at most ${limit} characters.`);
  });
});

describeEachDatabase('LIMITS and the migrated schema (%s)', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  const sizeOf = async (table: string) => {
    const info = await t.db(table).columnInfo();
    return (column: string) => {
      const size = info[column]?.maxLength;
      return size === null || size === undefined ? null : Number(size);
    };
  };

  it.each(Object.entries(TABLES))('every %s limit is its column size (%s)', async (group, table) => {
    const size = await sizeOf(table);
    const limits = LIMITS[group as keyof typeof TABLES] as Record<string, number>;
    const found = Object.entries(limits).map(([field, limit]) => [field, `${group}.${field}` in UNSIZED ? null : limit]);
    const expected = Object.keys(limits).map((field) => [field, size(field)]);
    expect(found).toEqual(expected);
  });

  it('lets a typed code run past every code column', async () => {
    for (const [table, column] of CODE_COLUMNS) {
      const size = (await sizeOf(table))(column);
      expect(size).not.toBeNull();
      expect(LIMITS.typed.code).toBeGreaterThan(size as number);
    }
  });

  it('the timeline filters take LIMITS.filter.words words and refuse one character more', async () => {
    const parse = (q: string) => parseTimelineQuery(t.db, { q }, { allowVendor: false });
    await expect(parse('a'.repeat(LIMITS.filter.words))).resolves.toBeDefined();
    await expect(parse('a'.repeat(LIMITS.filter.words + 1))).rejects.toBeInstanceOf(BadParameter);
  });
});
