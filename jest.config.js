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
  // The browser suite starts Chromium; it gets more time than the rest.
  testTimeout: 20000,
};
