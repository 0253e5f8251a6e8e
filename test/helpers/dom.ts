import * as cheerio from 'cheerio';

/**
 * Pages are checked through a DOM parser, not regular expressions over markup, so an
 * assertion names what a reader sees (a link, a heading, a field's value) and survives
 * harmless changes of attribute order, quoting or white space.
 */
export type Page = cheerio.CheerioAPI;

export function parseHtml(html: string): Page {
  return cheerio.load(html);
}

/** Visible text with runs of white space collapsed, as a reader would quote it. */
export function textOf(page: Page, selector = 'body'): string {
  return page(selector).text().replace(/\s+/g, ' ').trim();
}

/** The href of every link matching the selector, in document order. */
export function hrefsOf(page: Page, selector = 'a'): string[] {
  return page(selector)
    .map((_, el) => page(el).attr('href') ?? '')
    .get();
}
