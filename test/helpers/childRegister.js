// Lets a child process that a test starts run the TypeScript sources as they are: each .ts file
// is transpiled as it is loaded (types are not checked; jest and tsc do that), so tests need
// no build. Use as `node -r ./test/helpers/childRegister.js file.ts`.
//
// Loading the compiler and transpiling every source took seconds per child, so the output is
// kept on disk keyed by a hash of the source and the options, and the compiler is only loaded
// when a file has changed.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// transpileModule takes the options as tsconfig spells them, so they are part of the cache key as they are.
const compilerOptions = { module: 'CommonJS', target: 'ES2022', esModuleInterop: true, resolveJsonModule: true };
const typescriptVersion = require('typescript/package.json').version;
const cacheDir = path.join(os.tmpdir(), `vpt-child-ts-${typescriptVersion}`);

let ts;
function transpile(source, filename) {
  ts ??= require('typescript');
  return ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText;
}

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto
    .createHash('sha256')
    .update(JSON.stringify(compilerOptions))
    .update('\0')
    .update(filename)
    .update('\0')
    .update(source)
    .digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  let output;
  try {
    output = fs.readFileSync(cached, 'utf8');
  } catch {
    output = transpile(source, filename);
    // Written under a temporary name and renamed, so a child reading at the same time never sees half a file.
    fs.mkdirSync(cacheDir, { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, output);
    fs.renameSync(temporary, cached);
  }
  module._compile(output, filename);
};
