/**
 * Which server the reliability suite runs on (`npm run test:reliability -- --server …`, or
 * WXAMP_TEST_SERVER): scenarios that exist on one kind only skip themselves on the other.
 */
import { describe } from '@jest/globals';

/** Whether the suite runs on the production-local server (Temporal on PostgreSQL). */
export function onProductionLocal(): boolean {
  return process.env.WXAMP_TEST_SERVER === 'production-local';
}

/** `describe` on the production-local server, `describe.skip` on the dev server. */
export const describeOnProductionLocal: typeof describe.skip = onProductionLocal() ? describe : describe.skip;

/** `describe` on the dev server, `describe.skip` on the production-local server. */
export const describeOnDevServer: typeof describe.skip = onProductionLocal() ? describe.skip : describe;
