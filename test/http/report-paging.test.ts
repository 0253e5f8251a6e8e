/**
 * The events report page is bounded: it pages by key (`after`), every event once, whole
 * events per page, and the pages together give the rows of the report's CSV.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import request from 'supertest';
import { EVENT_CSV_COLUMNS, type EventCsvColumn } from '../../src/events/csv';
import { importEvents } from '../../src/imports/run';
import { REPORT_PAGE_ROWS } from '../../src/reports/service';
import { createTestApp, type TestApp } from '../helpers/testApp';
import { describeEachDatabase } from '../helpers/testDb';
import { decodeHtml } from './support';

jest.setTimeout(180_000);

function csvFile(rows: Array<Partial<Record<EventCsvColumn, string>>>): Buffer {
  const full = rows.map((r) => Object.fromEntries(EVENT_CSV_COLUMNS.map((c) => [c, r[c] ?? ''])));
  return Buffer.from(stringify(full, { header: true, columns: [...EVENT_CSV_COLUMNS], record_delimiter: '\r\n' }));
}

describeEachDatabase('events report paging on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { demo: false });
    // More events than a page, many on the same day (paging must use the id too), some citing two sources.
    const rows = Array.from({ length: REPORT_PAGE_ROWS + 40 }, (_, i) => ({
      id: `report-paging-${i}`,
      occurred_on: `2021-0${(i % 3) + 1}-01`,
      vendors: `paging-vendor-${i % 4}`,
      jurisdiction: 'FJ',
      actor: 'paging-agency',
      type: 'advisory',
      title: `Report paging event ${i}`,
      summary: '',
      source_titles: i % 7 === 0 ? `Article ${i} | Second article ${i}` : `Article ${i}`,
      source_urls: i % 7 === 0 ? `https://paging.example/${i} | https://paging.example/${i}/b` : `https://paging.example/${i}`,
    }));
    await importEvents(t.db, csvFile(rows), { by: { id: null, displayName: 'paging test' } });
  });
  afterAll(async () => t?.cleanup());

  for (const shape of ['rows=events', 'rows=citations']) {
    test(`${shape}: following the next links gives every row of the CSV once, in order`, async () => {
      const ids: string[] = [];
      let url: string | null = `/reports/events?jurisdiction=FJ&${shape}&columns=id&columns=title`;
      let pages = 0;
      while (url) {
        const res = await request(t.app).get(url);
        expect(res.status).toBe(200);
        const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(res.text)![1];
        const shown = [...body.matchAll(/<a href="\/events\/([^"]+)">/g)].map((m) => decodeURIComponent(m[1]));
        expect(shown.length).toBeLessThanOrEqual(REPORT_PAGE_ROWS);
        ids.push(...shown);
        const next = /<a href="([^"]+)" rel="next">Next rows<\/a>/.exec(res.text);
        url = next ? decodeHtml(next[1]) : null;
        if (url) expect(url).toContain('columns=id&columns=title');
        pages++;
      }
      expect(pages).toBeGreaterThan(1);
      const csv = parse((await request(t.app).get(`/reports/events.csv?jurisdiction=FJ&${shape}&columns=id`)).text, {
        columns: true,
        bom: true,
      }) as Array<{ id: string }>;
      expect(ids).toEqual(csv.map((r) => r.id));
    });
  }
});
