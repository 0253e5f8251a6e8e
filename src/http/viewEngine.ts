import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';

/**
 * The view engine express renders with: EJS templates (same syntax, `<%=` escapes as before),
 * each compiled once per process, its includes resolved from memory.
 *
 * Plain `ejs.renderFile` is slow for pages built from many partials (a timeline page includes
 * four per event): each include looks for its file on disk (`existsSync`) and copies every local
 * (the view helpers, the page's data) into a new object twice. Here the page's locals are copied
 * once per render into a root scope; an include gets a small scope whose prototype is that root,
 * holding only the locals passed to it (and those its includer was given), so what a template
 * sees is what ejs would give it. The root's chain ends at a frozen prototype-less object, never
 * at Object.prototype, which keeps ejs's guard against polluted prototypes.
 *
 * With `reload` (NODE_ENV=development) every render reads and compiles its templates again, so an
 * edited template shows without a restart.
 */
export interface ViewEngine {
  /** express's engine signature: `app.engine('ejs', engine.renderFile)`. */
  renderFile: (file: string, options: object, callback: (err: Error | null, html?: string) => void) => void;
  /** Renders a template (an absolute path under the views folder) with these locals. */
  render(file: string, locals: object): string;
  /** How many times a template was compiled: once each per process unless reloading. */
  readonly compilations: number;
}

type Scope = Record<string, unknown>;
type Compiled = (scope: Scope) => string;

/** The end of every scope's prototype chain: no Object.prototype, and objects made from it stay in V8's fast mode. */
const NO_PROTOTYPE: object = Object.freeze(Object.create(null));

/** Keys never copied into a scope, as ejs skips them. */
const SKIPPED = new Set(['__proto__', 'constructor']);

/** Every `.ejs` file under `dir`, as absolute paths. */
function templateFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ejs')).map((f) => path.join(dir, f));
}

function createViewEngine(viewsDir: string, reload: boolean): ViewEngine {
  const compiled = new Map<string, Compiled>();
  /** Per template: include path as written -> the template it names. */
  const includes = new Map<string, Map<string, string>>();
  let compilations = 0;

  const compile = (file: string): Compiled => {
    compilations++;
    const text = fs.readFileSync(file, 'utf8');
    // unsafePrototypeLocals: ejs uses the scope given, instead of copying it again; the scope's chain
    // never reaches Object.prototype (see NO_PROTOTYPE). Line numbers in errors only while reloading.
    const options = { filename: file, unsafePrototypeLocals: true, compileDebug: reload } as ejs.Options;
    return ejs.compile(text, options) as Compiled;
  };

  const template = (file: string): Compiled => {
    if (reload) return compile(file);
    let fn = compiled.get(file);
    if (!fn) {
      // Only a template outside the views read at start-up gets here (express resolved its path).
      fn = compile(file);
      compiled.set(file, fn);
    }
    return fn;
  };

  const resolveInclude = (from: string, name: string): string => {
    let known = includes.get(from);
    if (!known) includes.set(from, (known = new Map()));
    let file = known.get(name);
    if (!file) {
      file = path.resolve(path.dirname(from), path.extname(name) ? name : `${name}.ejs`);
      if (!reload && !compiled.has(file))
        throw new Error(`Could not find the include file "${name}" (from ${path.relative(viewsDir, from)})`);
      known.set(name, file);
    }
    return file;
  };

  /** Runs `file` with the page's root scope and the locals passed down to it by its includers. */
  const run = (file: string, root: object, passed: Scope | null): string => {
    const scope = Object.create(root) as Scope;
    if (passed) for (const key of Object.keys(passed)) if (!SKIPPED.has(key)) scope[key] = passed[key];
    scope.include = (name: string, data?: Scope) => run(resolveInclude(file, name), root, data ? { ...passed, ...data } : passed);
    return template(file)(scope);
  };

  const render = (file: string, locals: object): string => {
    const root = Object.create(NO_PROTOTYPE) as Scope;
    for (const key of Object.keys(locals)) if (!SKIPPED.has(key)) root[key] = (locals as Scope)[key];
    return run(file, root, null);
  };

  if (!reload) for (const file of templateFiles(viewsDir)) compiled.set(file, compile(file));

  return {
    renderFile: (file, options, callback) => {
      let html: string;
      try {
        html = render(file, options);
      } catch (err) {
        return callback(err as Error);
      }
      callback(null, html);
    },
    render,
    get compilations() {
      return compilations;
    },
  };
}

const engines = new Map<string, ViewEngine>();

/** The engine for a views folder, made (and its templates compiled) once per process. */
export function viewEngine(viewsDir: string, options: { reload: boolean }): ViewEngine {
  const key = `${options.reload ? 'reload' : 'once'}:${path.resolve(viewsDir)}`;
  let engine = engines.get(key);
  if (!engine) engines.set(key, (engine = createViewEngine(path.resolve(viewsDir), options.reload)));
  return engine;
}

/**
 * Where a page takes bytes rendered before (a part kept between requests): the template writes
 * `<%- slot %>` with this value and `slotParts` cuts the page there, so a large part is neither
 * copied into the page's string nor encoded to UTF-8 again for each request. An HTML comment:
 * text written with `<%=` never holds `<`, so only a template can write it.
 */
export const SLOT = '<!--vpt:slot-->';

/**
 * The page `html` (with one SLOT) as the bytes before the slot, `part` itself and the bytes
 * after it, to be sent one after the other (src/http/sendParts.ts). The part is not copied: a
 * new 200 KB buffer per request kept the garbage collector busy (see sendParts).
 */
export function slotParts(html: string, part: Buffer): [Buffer, Buffer, Buffer] {
  const at = html.indexOf(SLOT);
  if (at < 0) throw new Error('This page has no slot for its part');
  return [Buffer.from(html.slice(0, at)), part, Buffer.from(html.slice(at + SLOT.length))];
}

/** express's `res.render` or `app.render` (a view name and its locals, as there), as a promise of the HTML. */
export function renderView(
  renderer: { render(view: string, options: object, callback: (err: Error | null, html?: string) => void): void },
  view: string,
  locals: object,
): Promise<string> {
  return new Promise((resolve, reject) => renderer.render(view, locals, (err, html) => (err ? reject(err) : resolve(html ?? ''))));
}
