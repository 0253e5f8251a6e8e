const os = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['<rootDir>/test/helpers/codeCache.ts', '<rootDir>/test/helpers/sharedAtlas.ts', '<rootDir>/test/helpers/failOnUnhandled.ts'],
  // Migrates and loads the demo data once per run; each test file gets a copy (test/helpers/templates.ts).
  globalSetup: '<rootDir>/test/helpers/globalSetup.ts',
  globalTeardown: '<rootDir>/test/helpers/globalTeardown.ts',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // Two workers per core, not jest's default of one fewer: the files mostly wait on their
  // databases, sockets, browsers and child processes, so more files than cores keep the cores busy.
  // A number: jest reads a percentage above 100% as that many workers ('200%' is 200).
  maxWorkers: 2 * os.availableParallelism(),
  // Longest files first, with rough times standing in when jest has none (a fresh clone).
  testSequencer: '<rootDir>/test/helpers/sequencer.js',
  // The browser suite starts Chromium; it gets more time than the rest.
  testTimeout: 20000,
};
