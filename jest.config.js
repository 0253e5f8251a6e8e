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
  // More workers than cores, not jest's default of one fewer: the files often wait on their
  // databases, sockets, browsers and child processes, so more files than cores keep the cores busy.
  // One and a half per core, not two: with the cores already busy, a fourth file on two cores
  // only added contention (2026-11-30, 2 x AMD EPYC: SQLite runs 103-108 s with three workers
  // against 106-111 s with four; with PostgreSQL too, 157 s against 160 s).
  // A number: jest reads a percentage above 100% as that many workers ('200%' is 200).
  maxWorkers: Math.max(2, Math.round(1.5 * os.availableParallelism())),
  // Longest files first, with rough times standing in when jest has none (a fresh clone).
  testSequencer: '<rootDir>/test/helpers/sequencer.js',
  // The browser suite starts Chromium; it gets more time than the rest.
  testTimeout: 20000,
};
