/** Scenarios that exist on one kind of server only skip themselves on the other. */
import { describe } from '@jest/globals';
import { onProductionLocal } from './test-server';

/** `describe` on the production-local server, `describe.skip` on the dev server. */
export const describeOnProductionLocal: typeof describe.skip = onProductionLocal() ? describe : describe.skip;

/** `describe` on the dev server, `describe.skip` on the production-local server. */
export const describeOnDevServer: typeof describe.skip = onProductionLocal() ? describe.skip : describe;
