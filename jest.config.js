/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['<rootDir>/test/helpers/failOnUnhandled.ts'],
  // Migrates and loads the demo data once per run; each test file gets a copy (test/helpers/templates.ts).
  globalSetup: '<rootDir>/test/helpers/globalSetup.ts',
  globalTeardown: '<rootDir>/test/helpers/globalTeardown.ts',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // One worker per core, not jest's default of one fewer: the files mostly wait on their
  // databases and sockets, and on two cores a second worker made the suite markedly faster.
  maxWorkers: '100%',
  // The browser suite starts Chromium; it gets more time than the rest.
  testTimeout: 20000,
};
