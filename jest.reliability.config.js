/**
 * Jest for the reliability suite (`npm run test:reliability`): real worker processes, a real dev
 * server (one of its own where a scenario restarts it), the real HTTP simulator; crashes,
 * restarts, injected faults, bad input, duplicate starts, undocumented answers, cancellation.
 * Each scenario appends its figures to a report that the global teardown prints as a table.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/reliability'],
  testMatch: ['**/*.reliability.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] },
  globalSetup: '<rootDir>/test/reliability/global-setup.ts',
  globalTeardown: '<rootDir>/test/reliability/global-teardown.ts',
  testTimeout: 300_000,
  // One scenario at a time: each loads the 2-core machine on its own, and its figures (timings,
  // sends in flight at a kill) should not depend on what another scenario does meanwhile.
  maxWorkers: 1,
};
