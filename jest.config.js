/**
 * Jest: unit tests of pure logic and integration tests against a real Temporal dev server (started
 * once by test/global-setup.ts unless TEMPORAL_TEST_ADDRESS names one) and a real HTTP simulator.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/simulator'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60_000,
  // Each integration file runs its own Temporal worker; two at a time suits a 2-core machine.
  maxWorkers: 2,
};
