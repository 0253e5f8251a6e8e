/**
 * The import's fast paths give exactly the answers of the slow ones they stand in for:
 * the event check without zod, partial dates without date objects, cached country codes
 * and cached URL normalisation.
 */
import { addDays } from 'date-fns/addDays';
import { addMonths } from 'date-fns/addMonths';
import { addYears } from 'date-fns/addYears';
import { format } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { parseISO } from 'date-fns/parseISO';
import { EventInput, type EventInputCells, parseEventInputFast } from '../../src/events/schema';
import { isCountryCode, isJurisdictionCode } from '../../src/lib/jurisdiction';
import { parsePartialDate } from '../../src/lib/partialDate';
import { normaliseUrl } from '../../src/lib/url';

/** The date-fns reading of a partial date, as the app had it before the arithmetic one. */
function referenceDate(input: string): { value: string; precision: string; start: string; end: string } | string {
  const value = input.trim();
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (!m) return 'use YYYY, YYYY-MM or YYYY-MM-DD';
  const [, y, mo, d] = m;
  if (Number(y) < 1000) return 'the year must have four digits, from 1000';
  if (mo !== undefined && (Number(mo) < 1 || Number(mo) > 12)) return `month ${mo} does not exist`;
  if (d !== undefined) {
    const day = parseISO(value);
    if (!isValid(day) || format(day, 'yyyy-MM-dd') !== value) return `${value} is not a day of the calendar`;
    return { value, precision: 'day', start: value, end: value };
  }
  if (mo !== undefined)
    return {
      value,
      precision: 'month',
      start: `${value}-01`,
      end: format(addDays(addMonths(parseISO(`${value}-01`), 1), -1), 'yyyy-MM-dd'),
    };
  return {
    value,
    precision: 'year',
    start: `${value}-01-01`,
    end: format(addDays(addYears(parseISO(`${value}-01-01`), 1), -1), 'yyyy-MM-dd'),
  };
}

function actualDate(input: string) {
  try {
    return { ...parsePartialDate(input) };
  } catch (err) {
    return (err as Error).message;
  }
}

describe('partial dates by arithmetic', () => {
  test('every day, month and year of leap and common years, and impossible ones, read as date-fns read them', () => {
    const inputs: string[] = ['', '0999', '999', '2020-1', '2020-001', ' 2020-02 ', '2020-02-29 ', 'x2020'];
    for (const year of ['1000', '1582', '1600', '1700', '1900', '1999', '2000', '2004', '2020', '2021', '2100', '2400', '9999']) {
      inputs.push(year);
      for (let month = 0; month <= 13; month++) {
        const mm = String(month).padStart(2, '0');
        inputs.push(`${year}-${mm}`);
        for (let day = 0; day <= 32; day++) inputs.push(`${year}-${mm}-${String(day).padStart(2, '0')}`);
      }
    }
    for (const input of inputs) expect([input, actualDate(input)]).toEqual([input, referenceDate(input)]);
  });
});

describe('cached answers', () => {
  test('a country code gets the same answer the first time and every time after', () => {
    const first: string[] = [];
    const again: string[] = [];
    for (let a = 65; a <= 90; a++)
      for (let b = 65; b <= 90; b++) if (isCountryCode(String.fromCharCode(a, b))) first.push(String.fromCharCode(a, b));
    for (let a = 65; a <= 90; a++)
      for (let b = 65; b <= 90; b++) if (isCountryCode(String.fromCharCode(a, b))) again.push(String.fromCharCode(a, b));
    expect(again).toEqual(first);
    expect(first).toEqual(expect.arrayContaining(['DE', 'GB', 'RU', 'US']));
    for (const code of ['UK', 'EU', 'SU', 'ZZ', 'de', 'DEU', '']) expect(isCountryCode(code)).toBe(false);
    expect(isJurisdictionCode('EU') && isJurisdictionCode('INT')).toBe(true);
  });

  test('a URL normalises to the same text from the cache, and a refused one is refused every time', () => {
    const url = 'HTTPS://Example.org:443/a?utm_source=x&b=1#top';
    expect(normaliseUrl(url)).toBe('https://example.org/a?b=1');
    expect(normaliseUrl(url)).toBe('https://example.org/a?b=1');
    for (let i = 0; i < 2; i++) expect(() => normaliseUrl('javascript:alert(1)')).toThrow('only http:// and https://');
  });
});

const BASE: EventInputCells = {
  title: 'Ministry bans the vendor',
  summary: 'First line.\nSecond line, with a tab\there.',
  type: 'ban',
  jurisdiction: 'de',
  actor: 'bsi',
  affected: ['other-agency'],
  vendors: ['kaspersky-lab', 'acme'],
  occurred_on: '2018-06-13',
  effective_on: '2019',
  links: [{ relation: 'responds-to', event: 'earlier-event' }],
  citations: [
    {
      source_id: '',
      url: 'https://example.org/a?utm_source=feed',
      title: 'An article',
      publisher: '',
      published_on: '',
      reliability: '',
      quote: '',
      locator: '',
    },
  ],
  confirm_duplicate: true,
};

/** Values worth trying in a text field: plain, padded, too long, non-ASCII, decomposed, controls, overrides. */
const TEXTS = [
  '',
  ' ',
  'plain',
  '  padded  ',
  'x'.repeat(300),
  'x'.repeat(301),
  'Café Zürich',
  'Cafe\u0301',
  'a\r\nb',
  'a\nb',
  'a\tb',
  '\tlead',
  'a\u0000b',
  'a\u202eb',
  'a\u2066b',
  'a\u200bb',
  'a\u2028b',
  '\ufeffbom',
  '=1+2',
  'ß',
  'DE',
  'eu',
  'int',
  'uk',
  'x'.repeat(5001),
];
const SLUGS = ['', 'acme', ' acme ', 'Acme', 'acme--lab', '-acme', 'a'.repeat(80), 'a'.repeat(81), 'acme lab', 'ac\u00e9me'];
const DATES = ['', '2018', '2018-02', '2020-02-29', '2021-02-29', '2018-13', '0999', ' 2018-06 ', '2018-6', 'soon', '2018-06-13x'];
const URLS = [
  '',
  'https://example.org/a',
  'HTTP://EXAMPLE.org:80/?fbclid=1',
  'javascript:alert(1)',
  'https://user:pw@example.org/',
  'not a url',
  ' https://example.org/b ',
  'https://exämple.org/',
];

function variants(): unknown[] {
  const out: unknown[] = [BASE];
  const withField = (patch: Partial<EventInputCells>) => out.push({ ...BASE, ...patch });
  const withCitation = (patch: Partial<EventInputCells['citations'][number]>) =>
    out.push({ ...BASE, citations: [{ ...BASE.citations[0], ...patch }] });
  for (const t of TEXTS) {
    withField({ title: t });
    withField({ summary: t });
    withField({ jurisdiction: t });
    withField({ type: t });
    withField({ links: [{ relation: 'responds-to', event: t }] });
    withField({ links: [{ relation: t, event: 'e' }] });
    withCitation({ title: t });
    withCitation({ publisher: t });
    withCitation({ quote: t });
    withCitation({ locator: t });
    withCitation({ source_id: t });
    withCitation({ reliability: t });
  }
  for (const s of SLUGS) {
    withField({ actor: s });
    withField({ affected: [s] });
    withField({ vendors: [s] });
  }
  for (const d of DATES) {
    withField({ occurred_on: d });
    withField({ effective_on: d });
    withCitation({ published_on: d });
  }
  for (const u of URLS) {
    withCitation({ url: u });
    withCitation({ url: u, title: '' });
  }
  for (const r of ['a', 'B', 'f', 'G', '12']) withCitation({ reliability: r });
  for (const id of ['7', '007', '1x', '']) withCitation({ source_id: id, title: '' });
  withField({ vendors: [] });
  withField({ vendors: Array.from({ length: 31 }, (_, i) => `v-${i}`) });
  withField({ affected: Array.from({ length: 31 }, (_, i) => `a-${i}`) });
  withField({ affected: [] });
  withField({ links: [] });
  withField({ links: Array.from({ length: 31 }, (_, i) => ({ relation: 'responds-to', event: `e-${i}` })) });
  withField({ citations: [] });
  withField({ citations: Array.from({ length: 31 }, (_, i) => ({ ...BASE.citations[0], url: `https://example.org/${i}` })) });
  out.push({ ...BASE, confirm_duplicate: 'yes' });
  out.push({ ...BASE, vendors: 'acme' });
  return out;
}

describe('the event check without zod', () => {
  test('gives zod’s data for every input zod accepts and it takes, and takes none that zod refuses', () => {
    let taken = 0;
    let valid = 0;
    for (const input of variants()) {
      const slow = EventInput.safeParse(input);
      if (slow.success) valid++;
      const fast = parseEventInputFast(input as EventInputCells);
      if (!slow.success) expect([input, fast]).toEqual([input, null]);
      else if (fast) {
        taken++;
        expect([input, fast]).toEqual([input, slow.data]);
      }
    }
    // Most valid inputs take the fast way: plain text, non-ASCII text already in NFC, codes in any case.
    expect(taken / valid).toBeGreaterThan(0.75);
  });

  test('takes the ordinary rows: the base row, non-ASCII titles and a lower-case jurisdiction', () => {
    expect(parseEventInputFast(BASE)).toEqual(EventInput.parse(BASE));
    expect(parseEventInputFast({ ...BASE, title: 'Café Zürich’s ban' })?.title).toBe('Café Zürich’s ban');
    expect(parseEventInputFast(BASE)?.jurisdiction).toBe('DE');
  });
});
