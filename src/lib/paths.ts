import fs from 'node:fs';
import path from 'node:path';

/** The project root (where package.json is), from the sources or from dist/. */
function findRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot(__dirname);
export const VIEWS_DIR = path.join(PROJECT_ROOT, 'views');
export const PUBLIC_DIR = path.join(PROJECT_ROOT, 'public');
export const PICO_CSS = path.join(PROJECT_ROOT, 'node_modules', '@picocss', 'pico', 'css', 'pico.min.css');
