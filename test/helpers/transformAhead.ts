/**
 * Compiles the project's TypeScript into jest's transform cache once, before the workers start.
 *
 * On a cold cache (a clean clone, CI) every worker otherwise meets the same modules at the same
 * moment, finds none of them cached yet, and compiles them itself: with four workers most of
 * `src/` was compiled four times, about a tenth of the whole run's CPU. Done here, each file is
 * compiled once and the workers read the result. A warm cache makes this a pass of cache hits.
 *
 * The options must be those jest-runtime transforms with (it mixes them into the cache key), or
 * the workers would miss: CommonJS, no ESM support flags, no instrumentation.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import type { Config } from '@jest/types';
import { createScriptTransformer } from '@jest/transform';

const FOLDERS = ['src', 'db', 'seeds', 'test'];

function typeScriptFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .flatMap((e) => (e.isFile() && /(?<!\.d|\.test)\.ts$/.test(e.name) ? [path.join(e.parentPath, e.name)] : []));
}

/**
 * Transforms the modules test files share, not the test files (each is run, and compiled, by one
 * worker only); yields to the event loop between files so the template databases build alongside.
 */
export async function transformAhead(project: Config.ProjectConfig): Promise<number> {
  if (!project.cache) return 0;
  const transformer = await createScriptTransformer(project);
  const options = {
    instrument: false,
    supportsDynamicImport: typeof (vm as { SyntheticModule?: unknown }).SyntheticModule === 'function',
    supportsExportNamespaceFrom: false,
    supportsStaticESM: false,
    supportsTopLevelAwait: false,
  };
  const files = FOLDERS.flatMap((f) => typeScriptFiles(path.join(project.rootDir, f)));
  for (const file of files) {
    transformer.transformSource(file, fs.readFileSync(file, 'utf8'), options);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return files.length;
}
