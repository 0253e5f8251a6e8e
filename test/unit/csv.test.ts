import { unguard } from '../../src/imports/plan';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { EVENT_CSV_COLUMNS, eventCsvRecord } from '../../src/events/csv';
import { writeCsv, joinValues, neutraliseCell, unneutraliseCell } from '../../src/lib/csv';
import type { EventDetail } from '../../src/events/repo';
import type { Source } from '../../src/sources/repo';

/** A Writable that keeps everything written to it. */
function collector(): { out: Writable; bytes: () => Buffer; text: () => string } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, 'utf8'));
      done();
    },
  });
  return { out, bytes: () => Buffer.concat(chunks), text: () => Buffer.concat(chunks).toString('utf8') };
}

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

type Col = 'id' | 'title';
const COLS: readonly Col[] = ['id', 'title'];

async function csvOf(records: Array<Record<Col, string>>, options: { bom?: boolean } = {}): Promise<{ text: string; bytes: Buffer }> {
  const c = collector();
  await writeCsv(fromArray(records), COLS, c.out, options);
  return { text: c.text(), bytes: c.bytes() };
}

describe('neutraliseCell', () => {
  it.each([['=SUM(A1:A9)'], ['+1'], ['-2+3'], ['@SUM(1)'], ['\t=1+1'], ['\r=1+1'], ['=HYPERLINK("http://evil.example","click")']])(
    'puts an apostrophe before %j',
    (value) => {
      expect(neutraliseCell(value)).toBe(`'${value}`);
    },
  );

  it.each([
    ['Kaspersky Lab'],
    [''],
    ['a=b'],
    ['1+1'],
    ['x-y'],
    ['press@example.com'],
    ['tab\tinside'],
    ['cr\rinside'],
    ["'already quoted"],
  ])('leaves %j alone', (value) => {
    expect(neutraliseCell(value)).toBe(value);
  });
});

describe('neutraliseCell: signs hidden behind invisible characters or white space', () => {
  const HIDDEN: Array<[string, string]> = [
    ['a zero-width space (U+200B)', '\u200B'],
    ['a zero-width non-joiner (U+200C)', '\u200C'],
    ['a zero-width joiner (U+200D)', '\u200D'],
    ['a word joiner (U+2060)', '\u2060'],
    ['an invisible times (U+2062)', '\u2062'],
    ['a byte order mark / zero-width no-break space (U+FEFF)', '\uFEFF'],
    ['a left-to-right mark (U+200E)', '\u200E'],
    ['a right-to-left mark (U+200F)', '\u200F'],
    ['an Arabic letter mark (U+061C)', '\u061C'],
    ['a right-to-left override (U+202E)', '\u202E'],
    ['a left-to-right embedding (U+202A)', '\u202A'],
    ['a first-strong isolate (U+2068)', '\u2068'],
    ['a pop directional isolate (U+2069)', '\u2069'],
    ['a soft hyphen (U+00AD)', '\u00AD'],
    ['a Mongolian vowel separator (U+180E)', '\u180E'],
    ['a tag character (U+E0041)', '\u{E0041}'],
    ['a space', ' '],
    ['several spaces', '   '],
    ['a no-break space (U+00A0)', '\u00A0'],
    ['a narrow no-break space (U+202F)', '\u202F'],
    ['an em space (U+2003)', '\u2003'],
    ['an ideographic space (U+3000)', '\u3000'],
    ['a line feed', '\n'],
    ['a vertical tab', '\u000B'],
    ['a form feed', '\u000C'],
    ['a line separator (U+2028)', '\u2028'],
    ['a Hangul filler (U+3164)', '\u3164'],
    ['a Braille blank (U+2800)', '\u2800'],
    ['a mix: space, zero-width space, no-break space, BOM', ' \u200B\u00A0\uFEFF'],
  ];
  const SIGNS = ['=', '+', '-', '@'];

  for (const [name, prefix] of HIDDEN) {
    it.each(SIGNS)(`puts an apostrophe before ${name} then %s`, (sign) => {
      const value = `${prefix}${sign}HYPERLINK("http://evil.example")`;
      expect(neutraliseCell(value)).toBe(`'${value}`);
    });
  }

  it.each(HIDDEN)('leaves %s before ordinary text alone', (_name, prefix) => {
    expect(neutraliseCell(`${prefix}Kaspersky`)).toBe(`${prefix}Kaspersky`);
  });
});

describe('neutraliseCell: full-width and other look-alike signs', () => {
  it.each([
    ['full-width equals (U+FF1D)', '\uFF1D'],
    ['full-width plus (U+FF0B)', '\uFF0B'],
    ['full-width hyphen-minus (U+FF0D)', '\uFF0D'],
    ['full-width commercial at (U+FF20)', '\uFF20'],
    ['small equals (U+FE66)', '\uFE66'],
    ['small plus (U+FE62)', '\uFE62'],
    ['small hyphen-minus (U+FE63)', '\uFE63'],
    ['small commercial at (U+FE6B)', '\uFE6B'],
    ['minus sign (U+2212)', '\u2212'],
  ])('puts an apostrophe before %s', (_name, sign) => {
    for (const value of [`${sign}1+1`, `\u200B${sign}1+1`, `\u3000${sign}cmd`]) expect(neutraliseCell(value)).toBe(`'${value}`);
  });

  it.each([['１２３'], ['ＡＢＣ'], ['Ｋａｓｐｅｒｓｋｙ'], ['a＝b'], ['x－y'], ['–dash'], ['—'], ['\u200Bword']])(
    'leaves %j alone',
    (value) => {
      expect(neutraliseCell(value)).toBe(value);
    },
  );
});

describe('unneutraliseCell', () => {
  const VALUES = [
    '=1+1',
    '\u200B=1',
    '\uFF1Dcmd',
    ' -2',
    "'=1",
    "''+x",
    "'plain",
    "'",
    '',
    'plain',
    '\tx',
    "'\u00A0@x",
    "'".repeat(10000) + '=x',
  ];

  it.each(VALUES.map((v) => [v]))('gives back exactly what neutraliseCell was given: %j', (value) => {
    expect(unneutraliseCell(neutraliseCell(value))).toBe(value);
  });

  it('keeps an apostrophe the export did not add', () => {
    expect(unneutraliseCell("'plain")).toBe("'plain");
    expect(neutraliseCell("'=1")).toBe("''=1");
  });
});

describe('joinValues', () => {
  it('joins with " | " and leaves out empty values', () => {
    expect(joinValues(['europol', null, '', 'no-more-ransom', undefined])).toBe('europol | no-more-ransom');
    expect(joinValues([])).toBe('');
  });
});

describe('writeCsv', () => {
  it('writes the header row even when there are no records', async () => {
    const { text } = await csvOf([]);
    expect(text).toBe('id,title\r\n');
  });

  it('ends every record with CRLF', async () => {
    const { text } = await csvOf([
      { id: '1', title: 'first' },
      { id: '2', title: 'second' },
    ]);
    expect(text).toBe('id,title\r\n1,first\r\n2,second\r\n');
  });

  it('quotes commas, double quotes and line breaks as RFC 4180 says', async () => {
    const { text } = await csvOf([
      { id: '1', title: 'Europol, No More Ransom' },
      { id: '2', title: 'the "malicious" label' },
      { id: '3', title: 'line one\nline two' },
      { id: '4', title: 'line one\r\nline two' },
    ]);
    expect(text).toBe(
      'id,title\r\n' +
        '1,"Europol, No More Ransom"\r\n' +
        '2,"the ""malicious"" label"\r\n' +
        '3,"line one\nline two"\r\n' +
        '4,"line one\r\nline two"\r\n',
    );
  });

  it('starts with the UTF-8 byte order mark only when asked', async () => {
    const rows = [{ id: '1', title: 'Zürich' }];
    const plain = await csvOf(rows);
    expect(plain.bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(plain.text.startsWith('id,title')).toBe(true);

    const withBom = await csvOf(rows, { bom: true });
    expect(withBom.bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    expect(withBom.text).toBe('\ufeffid,title\r\n1,Zürich\r\n');
  });

  it('neutralises cells a spreadsheet would run, in any column', async () => {
    const { text } = await csvOf([
      { id: '=1+1', title: '@cmd' },
      { id: '+1', title: '-1' },
      { id: '\tx', title: '\rx' },
    ]);
    const rows = parse(text, { columns: true }) as Array<Record<Col, string>>;
    expect(rows).toEqual([
      { id: "'=1+1", title: "'@cmd" },
      { id: "'+1", title: "'-1" },
      { id: "'\tx", title: "'\rx" },
    ]);
  });

  it('neutralises hidden and full-width formula starts too', async () => {
    const { text } = await csvOf([
      { id: '\u200B=1+1', title: '\uFF1DHYPERLINK("http://evil.example")' },
      { id: '\u00A0@cmd', title: '\uFEFF-2' },
    ]);
    const rows = parse(text, { columns: true }) as Array<Record<Col, string>>;
    expect(rows).toEqual([
      { id: "'\u200B=1+1", title: '\'\uFF1DHYPERLINK("http://evil.example")' },
      { id: "'\u00A0@cmd", title: "'\uFEFF-2" },
    ]);
  });

  it('writes an empty cell for a missing value', async () => {
    const c = collector();
    await writeCsv(fromArray([{ id: '1' } as Record<Col, string>]), COLS, c.out);
    expect(c.text()).toBe('id,title\r\n1,\r\n');
  });

  it('reads back to the same values with a standard CSV parser', async () => {
    const records: Array<Record<Col, string>> = [
      { id: 'a', title: 'plain' },
      { id: 'b', title: 'comma, "quote" and\r\nnew line' },
      { id: 'c', title: '' },
      { id: 'd', title: 'Kaspersky calls the Parliament’s claim false' },
      { id: 'e', title: ' leading and trailing spaces ' },
    ];
    const { text } = await csvOf(records, { bom: true });
    expect(parse(text, { columns: true, bom: true, record_delimiter: '\r\n' })).toEqual(records);
  });

  it('writes every record of a long stream, in order', async () => {
    const records = Array.from({ length: 5000 }, (_, i) => ({ id: String(i), title: `event ${i}, with a comma` }));
    const { text } = await csvOf(records);
    const parsed = parse(text, { columns: true }) as Array<Record<Col, string>>;
    expect(parsed.map((r) => r.id)).toEqual(records.map((r) => r.id));
  });
});

describe('eventCsvRecord', () => {
  const source = (id: number, title: string, url: string | null): Source => ({
    id,
    url,
    title,
    publisher: '',
    author: '',
    publishedOn: null,
    archivedUrl: null,
    language: 'en',
    reliability: null,
    body: null,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  });
  const event: EventDetail = {
    id: 8,
    publicId: 'suspension',
    title: 'Kaspersky freezes its work',
    summary: 'Summary',
    type: 'cooperation-suspended',
    jurisdiction: 'EU',
    occurredOn: '2018-06',
    effectiveOn: null,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T03:04:05.000Z',
    actor: { id: 1, slug: 'kaspersky-lab', name: 'Kaspersky Lab', kind: 'vendor' },
    affected: [
      { id: 2, slug: 'europol', name: 'Europol', kind: 'law-enforcement' },
      { id: 3, slug: 'no-more-ransom', name: 'No More Ransom', kind: 'partnership' },
    ],
    vendors: [{ id: 1, slug: 'kaspersky-lab', name: 'Kaspersky Lab' }],
    citations: [
      { source: source(1, 'Stored article', null), quote: 'q', locator: '' },
      { source: source(2, 'Web article', 'https://example.com/a'), quote: '', locator: '' },
    ],
    linksOut: [{ relation: 'responds-to', event: { id: 7, publicId: 'resolution', title: 'R', occurredOn: '2018-06-13' } }],
    linksIn: [{ relation: 'responds-to', event: { id: 9, publicId: 'later', title: 'L', occurredOn: '2018-07' } }],
  };

  it('fills every export column from the event', () => {
    const record = eventCsvRecord(event);
    expect(Object.keys(record)).toEqual([...EVENT_CSV_COLUMNS]);
    expect(record).toEqual({
      id: 'suspension',
      occurred_on: '2018-06',
      date_precision: 'month',
      effective_on: '',
      vendors: 'kaspersky-lab',
      jurisdiction: 'EU',
      actor: 'kaspersky-lab',
      affected: 'europol | no-more-ransom',
      type: 'cooperation-suspended',
      title: 'Kaspersky freezes its work',
      summary: 'Summary',
      responds_to: 'resolution',
      source_titles: 'Stored article | Web article',
      source_urls: ' | https://example.com/a',
      updated_at: '2026-01-02T03:04:05.000Z',
    });
  });

  it('leaves the actor empty when none is recorded', () => {
    expect(eventCsvRecord({ ...event, actor: null }).actor).toBe('');
  });
});

describe('the import reads back what the export guarded', () => {
  it.each(['=1+1', '\u200B=x', ' @SUM(A1)', '＝1', "'=x", "''+x", 'plain', "it's fine", '-'])('%j survives export and import', (value) => {
    expect(unguard(neutraliseCell(value))).toBe(value);
  });
});
