// ESLint: typescript-eslint's syntax-only rules (no type information, so a full run stays
// fast) plus the rules that hold the architecture in place: no import cycles, layers that
// only import downward, routes that go through a service, knex only in the data layer.
// The layer table below is the README's "Where things live" in machine-checked form.
import fs from 'node:fs';
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const WHERE = "see README 'Where things live'";

/**
 * src/ folders from the bottom layer up. A folder may import itself and folders of lower
 * layers; never a folder of its own layer or of a higher one.
 */
const LAYERS = [
  /* 0 */ ['lib'],
  /* 1 */ ['db'],
  /* 2 */ ['history'],
  /* 3 */ ['http'],
  /* 4 */ ['accounts'],
  /* 5 */ ['vendors', 'actors', 'sources'],
  /* 6 */ ['events'],
  /* 7 */ ['charts'],
  /* 8 */ ['search', 'status', 'imports'],
  /* 9 */ ['timelines', 'overview', 'jurisdictions', 'reports', 'compare', 'feeds', 'api'],
  /* 10 */ ['seed'],
];
/** The composition root: may import anything, and nothing in src/ imports it (tests and scripts may). */
const ROOT = ['app.ts', 'server.ts', 'threadPool.ts', 'viewHelpers.ts'];

const layerOf = new Map(LAYERS.flatMap((folders, layer) => folders.map((folder) => [folder, layer])));
const layered = [...layerOf.keys()];

function layeringZones() {
  const zones = [];
  for (const [folder, layer] of layerOf) {
    for (const other of layered) {
      if (other === folder || layerOf.get(other) < layer) continue;
      zones.push({
        target: `src/${folder}`,
        from: `src/${other}`,
        message: `src/${folder} may not import src/${other}: layers only import downward; ${WHERE}.`,
      });
    }
    zones.push({
      target: `src/${folder}`,
      from: ROOT.map((file) => `src/${file}`),
      message: `src/${folder} may not import the composition root (${ROOT.join(', ')}): nothing in src/ imports it; ${WHERE}.`,
    });
  }
  // Anything else at the top of src/ has no layer yet, so nothing layered may lean on it:
  // give it a place in LAYERS (and in the README) rather than leave it unchecked.
  const unplaced = fs
    .readdirSync(new URL('src', import.meta.url), { withFileTypes: true })
    .map((entry) => entry.name)
    .filter((name) => !layerOf.has(name) && !ROOT.includes(name));
  for (const name of unplaced) {
    zones.push({
      target: layered.map((folder) => `src/${folder}`),
      from: `src/${name}`,
      message: `src/${name} has no layer: add it to LAYERS (or ROOT) in eslint.config.mjs; ${WHERE}.`,
    });
  }
  return zones;
}

// Within a feature: routes -> service -> repo -> knex.
const routesSkipService = {
  target: ['src/**/routes.ts', 'src/**/*Routes.ts'],
  from: 'src/**/repo.ts',
  message: 'routes call a service, never a repo directly: routes -> service -> repo -> knex.',
};

const knexValue = {
  name: 'knex',
  allowTypeImports: true,
  message: 'Only src/db/ and repo.ts files talk to knex; elsewhere take a `Db` and call a repo (type imports are fine).',
};
const httpPackages = ['express', 'express-session', 'multer'].map((name) => ({
  name,
  message: "src/lib and src/db sit below the web layer: HTTP belongs in src/http or a feature's routes.",
}));

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'public/', 'coverage/', '.tmp/', 'views/'] },

  js.configs.recommended,
  tseslint.configs.recommended,

  // Registered for every file (rules switch on below) so `--rule import-x/...` works from the command line.
  { plugins: { 'import-x': importX } },
  {
    files: ['**/*.ts'],
    settings: {
      // Without these, import-x cannot parse the .ts files it follows, and no-cycle sees no edges.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      // Type-only imports are ignored (they vanish at run time); a value cycle is what breaks start-up order.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-restricted-paths': ['error', { zones: [...layeringZones(), routesSkipService] }],
    },
  },

  // knex as a value: only in the data layer. Tests are left out on purpose: they open raw
  // connections (the PostgreSQL admin connection, a second connection that holds a lock).
  {
    files: ['src/**/*.ts', 'scripts/**/*.ts', 'seeds/**/*.ts', 'db/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [knexValue] }] },
  },
  {
    files: ['src/db/**/*.ts', '**/repo.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  // One rule entry per file wins, so the low layers repeat the knex entry beside the HTTP ban.
  {
    files: ['src/lib/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [knexValue, ...httpPackages] }] },
  },
  {
    files: ['src/db/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: httpPackages }] },
  },

  // Tables are read and written in repo.ts files and db/ (routes -> service -> repo -> knex):
  // a call such as db('events') or trx(table) anywhere else is reported, and so are the
  // queries that start from the connection itself: db.raw(…), db.from(…), trx.table(…), db.select(…).
  {
    files: ['src/**/*.ts'],
    ignores: [
      'src/db/**',
      '**/repo.ts',
      // The events write path: multi-row writes shared by forms, the import and the demo loader.
      'src/events/writes.ts',
      // ... and the measures in force it keeps beside the events, in the same transaction.
      'src/events/inForce.ts',
      // Modules whose whole job is one table: the session store, sign-in throttling,
      // first-admin setup tokens and generated secrets.
      'src/http/session.ts',
      'src/accounts/throttle.ts',
      'src/accounts/setupTokens.ts',
      'src/accounts/secrets.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.type='Identifier'][callee.name=/^(db|trx|conn|tx|knex)$/][arguments.length>0]",
          message: 'Query tables in a repo.ts (or src/db/): routes -> service -> repo -> knex.',
        },
        {
          selector:
            "CallExpression[callee.type='MemberExpression'][callee.object.type='Identifier'][callee.object.name=/^(db|trx|conn|tx|knex)$/][callee.property.name=/^(raw|from|table|queryBuilder|into|with|withRecursive|select|insert|update|count|first)$/]",
          message: 'Write SQL in a repo.ts (or src/db/): routes -> service -> repo -> knex.',
        },
      ],
    },
  },

  // General rules tuned to this code base.
  {
    rules: {
      // tsc's noUnusedLocals / noUnusedParameters already report these (and honour the `_` prefix).
      '@typescript-eslint/no-unused-vars': 'off',
      // The regexes that match control characters do it on purpose: they find and refuse them.
      'no-control-regex': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['**/*.ts'],
    // Two imports of one module are what a moved file's rewritten paths leave behind; --fix merges them.
    rules: { 'import-x/no-duplicates': 'error' },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/server.ts'],
    // The app logs through pino, which redacts secrets; only the entry point prints to the console itself.
    rules: { 'no-console': 'error' },
  },
  {
    files: ['test/**/*.ts'],
    // Tests poke at untyped browser objects and fixtures; `any` there hides nothing the app runs.
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // Plain .js files run in Node as CommonJS (package.json has no "type": "module").
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly', Buffer: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { URL: 'readonly' } },
  },
);
