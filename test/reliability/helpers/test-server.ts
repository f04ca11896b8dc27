/**
 * Which server the reliability suite runs on (`npm run test:reliability -- --server …`, or
 * WXAMP_TEST_SERVER). No jest import: the global setup and teardown read it too.
 */

/** Whether the suite runs on the production-local server (Temporal on PostgreSQL). */
export function onProductionLocal(): boolean {
  return process.env.WXAMP_TEST_SERVER === 'production-local';
}
