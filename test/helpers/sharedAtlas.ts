/**
 * Loaded before every test file (jest `setupFiles`): each worker projects the world map once,
 * not once per test file.
 *
 * `worldAtlas()` keeps its result for the life of the process, which in the app means once.
 * Jest gives every test file a fresh module registry, so every file that drew a map projected
 * the country shapes again (about 0.3 s of CPU each, the 1:50m file included). This keeps the
 * real module and its real function; only the first call in a worker computes, and later files
 * on that worker get the same result. The atlas is geometry that no caller changes.
 */
import vm from 'node:vm';
import type * as AtlasModule from '../../src/charts/atlas';

// A core module's object is the worker's own, shared by every test file's registry (as in codeCache.ts).
const store = vm as unknown as Record<symbol, AtlasModule.Atlas | undefined>;
const KEY = Symbol.for('vpt.test.worldAtlas');

jest.mock('../../src/charts/atlas', () => {
  const actual = jest.requireActual<typeof AtlasModule>('../../src/charts/atlas');
  return { ...actual, worldAtlas: () => (store[KEY] ??= actual.worldAtlas()) };
});
