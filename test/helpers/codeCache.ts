/**
 * Loaded before every test file (jest `setupFiles`): keeps V8's compiled code of each module a
 * worker loads, so the worker's next test files start from it instead of parsing and compiling
 * the same sources again.
 *
 * Jest gives every test file a fresh module registry, so each file loads express, knex, zod,
 * ejs and the app's own modules anew; compiling them was about 100 ms of CPU per file, a tenth
 * of a short file's cost. jest-runtime compiles each module with `vm.compileFunction`, read from
 * the `node:vm` module object at each call; this wraps that function once per worker process
 * (core modules are the process's own, shared by every test file's registry). V8 checks cached
 * data against the source it is given and rejects a mismatch, and a source that changed is
 * compiled afresh, so the cache can only make a compile cheaper, never different.
 */
import vm from 'node:vm';

const INSTALLED = Symbol.for('vpt.test.codeCache');
type CompileFunction = typeof vm.compileFunction;
type CompiledFunction = ReturnType<CompileFunction> & {
  cachedData?: Buffer;
  cachedDataProduced?: boolean;
  cachedDataRejected?: boolean;
};

const target = vm as unknown as Record<symbol, boolean> & { compileFunction: CompileFunction };

if (!target[INSTALLED]) {
  target[INSTALLED] = true;
  const compile = vm.compileFunction;
  const cache = new Map<string, { code: string; data: Buffer }>();
  target.compileFunction = function compileFunctionWithCache(code, params, options) {
    const filename = options?.filename;
    if (!filename) return compile(code, params, options);
    const kept = cache.get(filename);
    if (kept && kept.code === code) {
      const fn = compile(code, params, { ...options, cachedData: kept.data }) as CompiledFunction;
      if (!fn.cachedDataRejected) return fn;
    }
    const fn = compile(code, params, { ...options, produceCachedData: true }) as CompiledFunction;
    if (fn.cachedDataProduced && fn.cachedData) cache.set(filename, { code, data: fn.cachedData });
    return fn;
  };
}
