import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ejs from 'ejs';
import { SLOT, slotParts, viewEngine } from '../../src/http/viewEngine';
import { remembered } from '../../src/lib/remembered';
import { VIEWS_DIR } from '../../src/lib/paths';

/** A views folder of its own per test, so engines (one per folder per process) do not meet. */
function viewsWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpt-views-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const PAGE = {
  'pages/show.ejs':
    "<%- include('../partials/head', { title: title }) %><% items.forEach(function (item) { %><%- include('../partials/item', { item: item }) %><% }) %>",
  'partials/head.ejs': '<h1><%= title %></h1><% if (typeof note !== "undefined") { %>[<%= note %>]<% } %>',
  'partials/item.ejs': "<li><%= label(item) %><%- include('badge') %></li>",
  'partials/badge.ejs': '<b><%= item.kind %>/<%= title %></b>',
};

const LOCALS = {
  title: 'A & B',
  items: [
    { name: '<x>', kind: 'k1' },
    { name: 'y', kind: 'k2' },
  ],
  label: (i: { name: string }) => i.name,
};

describe('the view engine', () => {
  afterEach(() => jest.restoreAllMocks());

  test('renders what ejs renders: escaping, includes with their own locals, the includer’s locals passed on', () => {
    const dir = viewsWith(PAGE);
    const file = path.join(dir, 'pages/show.ejs');
    const html = viewEngine(dir, { reload: false }).render(file, LOCALS);
    expect(html).toBe('<h1>A &amp; B</h1><li>&lt;x&gt;<b>k1/A &amp; B</b></li><li>y<b>k2/A &amp; B</b></li>');
    expect(html).toBe(ejs.render(fs.readFileSync(file, 'utf8'), LOCALS, { filename: file }));
  });

  test('compiles every template once, at start-up, and reads no file while rendering', () => {
    const dir = viewsWith(PAGE);
    const compile = jest.spyOn(ejs, 'compile');
    const engine = viewEngine(dir, { reload: false });
    expect(compile).toHaveBeenCalledTimes(Object.keys(PAGE).length);
    expect(engine.compilations).toBe(Object.keys(PAGE).length);
    compile.mockClear();

    const reads = jest.spyOn(fs, 'readFileSync');
    const exists = jest.spyOn(fs, 'existsSync');
    const stats = jest.spyOn(fs, 'statSync');
    const file = path.join(dir, 'pages/show.ejs');
    const first = engine.render(file, LOCALS);
    expect(engine.render(file, LOCALS)).toBe(first);
    expect(viewEngine(dir, { reload: false })).toBe(engine);
    expect(compile).not.toHaveBeenCalled();
    expect(reads).not.toHaveBeenCalled();
    expect(exists).not.toHaveBeenCalled();
    expect(stats).not.toHaveBeenCalled();
    expect(engine.compilations).toBe(Object.keys(PAGE).length);
  });

  test('the app’s own views all compile at start-up', () => {
    const engine = viewEngine(VIEWS_DIR, { reload: false });
    const count = (fs.readdirSync(VIEWS_DIR, { recursive: true }) as string[]).filter((f) => f.endsWith('.ejs')).length;
    expect(engine.compilations).toBe(count);
  });

  test('a template edited after start-up shows only when reloading (NODE_ENV=development)', () => {
    const dir = viewsWith(PAGE);
    const file = path.join(dir, 'pages/show.ejs');
    const once = viewEngine(dir, { reload: false });
    const reloading = viewEngine(dir, { reload: true });
    const before = once.render(file, LOCALS);
    fs.writeFileSync(path.join(dir, 'partials/badge.ejs'), '<i><%= item.kind %></i>');
    expect(once.render(file, LOCALS)).toBe(before);
    expect(reloading.render(file, LOCALS)).toBe('<h1>A &amp; B</h1><li>&lt;x&gt;<i>k1</i></li><li>y<i>k2</i></li>');
  });

  test('an include of a template that does not exist is an error naming it', () => {
    const dir = viewsWith({ 'a.ejs': "<%- include('missing') %>" });
    expect(() => viewEngine(dir, { reload: false }).render(path.join(dir, 'a.ejs'), {})).toThrow(/missing/);
  });

  test('a local a template assigns stays in that template', () => {
    const dir = viewsWith({ 'a.ejs': "<% title = 'changed'; %><%= title %>|<%- include('b') %>", 'b.ejs': '<%= title %>' });
    expect(viewEngine(dir, { reload: false }).render(path.join(dir, 'a.ejs'), { title: 'kept' })).toBe('changed|kept');
  });

  test('a polluted Object.prototype cannot replace what templates call (escaping, output)', () => {
    const dir = viewsWith({ 'a.ejs': "<%= x %><%- include('b') %>", 'b.ejs': '<%= x %>' });
    const engine = viewEngine(dir, { reload: false });
    const proto = Object.prototype as Record<string, unknown>;
    proto.escapeFn = () => 'PWNED';
    proto.__append = () => undefined;
    try {
      expect(engine.render(path.join(dir, 'a.ejs'), { x: '<b>' })).toBe('&lt;b&gt;&lt;b&gt;');
    } finally {
      delete proto.escapeFn;
      delete proto.__append;
    }
  });

  test('express renders through it (the render callback gets the page or the error)', (done) => {
    const dir = viewsWith({ 'ok.ejs': '<%= x %>', 'bad.ejs': '<%= nope.x %>' });
    const engine = viewEngine(dir, { reload: false });
    engine.renderFile(path.join(dir, 'ok.ejs'), { x: '<1>' }, (err, html) => {
      expect(err).toBeNull();
      expect(html).toBe('&lt;1&gt;');
      engine.renderFile(path.join(dir, 'bad.ejs'), {}, (err2) => {
        expect(err2).toBeInstanceOf(ReferenceError);
        done();
      });
    });
  });
});

describe('a page around bytes rendered before', () => {
  test('the bytes take the slot’s place, whatever their characters; text written with <%= cannot make a slot', () => {
    const dir = viewsWith({ 'page.ejs': '<p><%= who %></p><%- slot %><footer>·</footer>' });
    const engine = viewEngine(dir, { reload: false });
    const html = engine.render(path.join(dir, 'page.ejs'), { who: `Zoë ${SLOT}`, slot: SLOT });
    const part = Buffer.from('<main>↗ kept</main>');
    const parts = slotParts(html, part);
    expect(Buffer.concat(parts).toString('utf8')).toBe('<p>Zoë &lt;!--vpt:slot--&gt;</p><main>↗ kept</main><footer>·</footer>');
    // The kept part itself, not a copy of it.
    expect(parts[1]).toBe(part);
    expect(() => slotParts('<p>no slot</p>', Buffer.from('x'))).toThrow(/slot/);
  });
});

describe('remembered helpers', () => {
  test('answer as the function does, call it once per argument, and stay bounded', () => {
    const fn = jest.fn((s: string | null) => (s ? s.toUpperCase() : ''));
    const r = remembered(fn, 2);
    expect([r('a'), r('a'), r(null), r(null)]).toEqual(['A', 'A', '', '']);
    expect(fn).toHaveBeenCalledTimes(2);
    r('b'); // a third answer: the memory starts afresh
    r('a');
    expect(fn).toHaveBeenCalledTimes(4);
  });
});
