import * as cheerio from 'cheerio/slim';
import type { AnyNode, Element } from 'domhandler';

/**
 * Pages are checked through a DOM parser, not regular expressions over markup, so an
 * assertion names what a reader sees (a link, a heading, a field's value) and survives
 * harmless changes of attribute order, quoting or white space.
 */
export type Page = cheerio.CheerioAPI;
/** A part of a page: what `sectionOf` and `eventCardsOf` give, and what every helper accepts as scope. */
export type Nodes = cheerio.Cheerio<AnyNode>;
/** Where a helper looks: the whole page (its body) or a part of it. */
export type Scope = Page | Nodes;

/**
 * A page, parsed by htmlparser2 (cheerio's HTML mode without parse5). parse5 follows the
 * standard's tree building to the letter (it adds the <html>, <head>, <body> and <tbody> a
 * page leaves out) and took a fifth of the CPU of tests that read many pages; the pages here
 * are whole, well-formed documents, which both parsers read alike. A fragment has no <body>
 * added: read it from `root()`.
 */
export function parseHtml(html: string): Page {
  return cheerio.load(html, { xml: { xmlMode: false, decodeEntities: true } });
}

/** A standalone SVG picture (`image/svg+xml`), parsed as the XML it is. */
export function parseSvg(svg: string): Page {
  return cheerio.load(svg, { xml: true });
}

/**
 * Elements a browser lays out as boxes of their own, so their text never runs into a neighbour's;
 * in SVG, each `<text>` is placed on its own and `<title>`/`<desc>` are separate alternatives.
 */
const BLOCKS = new Set(
  (
    'address article aside blockquote br caption dd details dialog div dl dt fieldset figcaption figure footer form ' +
    'h1 h2 h3 h4 h5 h6 header hgroup hr legend li main nav ol option p pre section summary table tbody td tfoot th thead tr ul ' +
    'text title desc'
  ).split(' '),
);

function rawText(nodes: readonly AnyNode[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') out += node.data;
    // Scripts, styles and comments are not read; an element gives its text, a block set apart.
    else if (node.type === 'tag') {
      const gap = BLOCKS.has(node.name) ? ' ' : '';
      out += gap + rawText(node.children) + gap;
    }
  }
  return out;
}

function readerText(nodes: readonly AnyNode[]): string {
  return rawText(nodes).replace(/\s+/g, ' ').trim();
}

/** The elements matching the selector within the scope; a part's own top-level elements count too. */
function select(scope: Scope, selector?: string): Nodes {
  // Without a selector, a page means its body (an SVG document: its root element).
  if (typeof scope === 'function')
    return selector !== undefined ? scope(selector) : scope('body').length > 0 ? scope('body') : scope.root().children();
  return selector === undefined ? scope : scope.filter(selector).add(scope.find(selector));
}

function elements(scope: Scope, selector?: string): Element[] {
  return select(scope, selector)
    .toArray()
    .filter((node): node is Element => node.type === 'tag');
}

/**
 * Visible text with runs of white space collapsed, as a reader would quote it: the text of
 * neighbouring blocks (cells, list items, paragraphs, terms and their definitions) is set
 * apart by a space, inline elements run on. Without a selector, the whole scope (a page's body).
 */
export function textOf(scope: Scope, selector?: string): string {
  return readerText(select(scope, selector).toArray());
}

/** The text of each element matching the selector, in document order. */
export function textsOf(scope: Scope, selector: string): string[] {
  return elements(scope, selector).map((el) => readerText([el]));
}

/** The value of an attribute on each element matching the selector ('' where it is missing). */
export function attrsOf(scope: Scope, selector: string, attribute: string): string[] {
  return elements(scope, selector).map((el) => el.attribs[attribute] ?? '');
}

/** The href of every link matching the selector, in document order. */
export function hrefsOf(scope: Scope, selector = 'a'): string[] {
  return attrsOf(scope, selector, 'href');
}

export interface Link {
  href: string;
  text: string;
}

/** Every link matching the selector as its address and its visible text, in document order. */
export function linksOf(scope: Scope, selector = 'a'): Link[] {
  return elements(scope, selector).map((el) => ({ href: el.attribs.href ?? '', text: readerText([el]) }));
}

/**
 * What a heading introduces: the nodes after it up to the next heading of the same level or
 * the end of its parent (a `<section>`), so `sectionOf(page, 'Sources')` is what a reader
 * finds under "Sources". Throws when the page has no such heading.
 */
export function sectionOf(page: Page, heading: string, level = 2): Nodes {
  const tag = `h${level}`;
  const found = elements(page, tag).find((el) => readerText([el]) === heading);
  if (!found) throw new Error(`No heading "${heading}" on the page`);
  const nodes: AnyNode[] = [];
  for (let node = found.next; node; node = node.next) {
    if (node.type === 'tag' && (node.name === tag || page(node).find(tag).length > 0)) break;
    nodes.push(node);
  }
  return page(nodes);
}

export interface EventCard {
  id: string;
  text: string;
  node: Nodes;
}

/** The event cards (`<article class="event">`, id = the event's public id) within the scope, in page order. */
export function eventCardsOf(scope: Scope): EventCard[] {
  const cards = select(scope, 'article.event');
  return cards.toArray().map((el, i) => ({ id: (el as Element).attribs.id ?? '', text: readerText([el]), node: cards.eq(i) }));
}

export function eventIdsOf(scope: Scope): string[] {
  return eventCardsOf(scope).map((c) => c.id);
}

/** The card of one event; throws when the scope has none. */
export function eventCardOf(scope: Scope, id: string): EventCard {
  const found = eventCardsOf(scope).find((c) => c.id === id);
  if (!found) throw new Error(`No event card ${id} on the page`);
  return found;
}

/** The element descendants of an element (only those of the given tag name, if one is given), in document order. */
function descendants(el: Element, name?: string): Element[] {
  return el.children.flatMap((c) =>
    c.type === 'tag' ? [...(name === undefined || c.name === name ? [c] : []), ...descendants(c, name)] : [],
  );
}

/** The cell texts of each body row of the first table matching the selector: rows of its `<thead>` and `<tfoot>` left out. */
export function rowsOf(scope: Scope, selector = 'table'): string[][] {
  const table = elements(scope, selector)[0];
  if (!table) throw new Error(`No table ${selector}`);
  return descendants(table, 'tr')
    .filter((tr) => !(tr.parent?.type === 'tag' && (tr.parent.name === 'thead' || tr.parent.name === 'tfoot')))
    .map((tr) =>
      tr.children.filter((c): c is Element => c.type === 'tag' && (c.name === 'td' || c.name === 'th')).map((c) => readerText([c])),
    );
}

/**
 * The value a form field submits, as a browser reads it: an input's value attribute, a
 * textarea's text, the selected option of a select (or its first). Throws when there is no
 * field of that name, so a renamed field fails loudly.
 */
export function fieldValue(scope: Scope, name: string): string {
  const field = elements(scope, `[name="${name}"]`).find((el) => ['input', 'textarea', 'select'].includes(el.name));
  if (!field) throw new Error(`No field named ${name}`);
  if (field.name === 'textarea') return rawText(field.children).replace(/^\n/, '');
  if (field.name === 'select') {
    const options = descendants(field, 'option');
    const chosen = options.find((o) => 'selected' in o.attribs) ?? options[0];
    return chosen ? (chosen.attribs.value ?? readerText([chosen])) : '';
  }
  return field.attribs.value ?? '';
}

/** The values of the checked boxes (or radio buttons) of one name, in page order. */
export function checkedValues(scope: Scope, name: string): string[] {
  return elements(scope, `input[name="${name}"]`)
    .filter((el) => 'checked' in el.attribs)
    .map((el) => el.attribs.value ?? 'on');
}

/** Input types that submit nothing of their own here (buttons, files) or that the app never fills back (passwords). */
const UNSUBMITTED = new Set(['submit', 'button', 'reset', 'image', 'file', 'password']);

/**
 * The values a browser would submit from the first form matching the selector: text inputs,
 * checked boxes, textareas and selected options (a single select without a selected option
 * submits its first one), each name with its values in page order; disabled fields left out.
 */
export function submittedValues(scope: Scope, formSelector: string): Record<string, string[]> {
  const form = elements(scope, formSelector)[0];
  if (!form) throw new Error(`No form ${formSelector}`);
  const out: Record<string, string[]> = {};
  for (const el of descendants(form)) {
    const { name } = el.attribs;
    if (!name || 'disabled' in el.attribs) continue;
    let values: string[];
    if (el.name === 'input') {
      const type = (el.attribs.type ?? 'text').toLowerCase();
      if (UNSUBMITTED.has(type) || ((type === 'checkbox' || type === 'radio') && !('checked' in el.attribs))) continue;
      values = [el.attribs.value ?? (type === 'checkbox' || type === 'radio' ? 'on' : '')];
    } else if (el.name === 'textarea') {
      values = [rawText(el.children).replace(/^\n/, '')];
    } else if (el.name === 'select') {
      const options = descendants(el, 'option');
      const valueOf = (o: Element) => o.attribs.value ?? readerText([o]);
      const selected = options.filter((o) => 'selected' in o.attribs).map(valueOf);
      values = selected.length > 0 || 'multiple' in el.attribs ? selected : options.slice(0, 1).map(valueOf);
    } else continue;
    (out[name] ??= []).push(...values);
  }
  return out;
}
