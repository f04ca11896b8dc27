/**
 * Jest for the end-to-end tests: `npm start` as a real process, driven from a real browser
 * (Debian's chromium through playwright-core), and the client package packed, installed from its
 * tarball into an empty project and used there. No global setup: the stack brings its own server.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] },
  testTimeout: 180_000,
  maxWorkers: 1,
};
