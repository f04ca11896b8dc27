/**
 * The workflow bundle stays small: every cached workflow evaluates its modules again, so a library
 * pulled into workflows/ costs memory once per cached workflow (zod: about a megabyte each). The
 * bundle is the one jest's global setup built from workflows/.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { bundleSizeKib, WORKFLOW_BUNDLE_BUDGET_KIB } from '../../worker/bundle-workflows';

/** Packages that must never reach workflow code (eslint.config.mjs forbids importing them there). */
const FORBIDDEN_PACKAGES = [
  'zod',
  'node-fetch',
  'ioredis',
  'commander',
  'cli-table3',
  'log-update',
  'picocolors',
  'protobufjs',
  '@temporalio/proto',
  '@temporalio/envconfig',
];

function bundleCode(): string {
  const path = process.env.WXAMP_TEST_WORKFLOW_BUNDLE;
  if (path === undefined) throw new Error('WXAMP_TEST_WORKFLOW_BUNDLE is not set: run the tests through jest (test/global-setup.ts builds the bundle)');
  return readFileSync(path, 'utf8');
}

describe('the workflow bundle', () => {
  it(`stays within its budget of ${WORKFLOW_BUNDLE_BUDGET_KIB} KiB`, () => {
    expect(Math.round(bundleSizeKib(bundleCode()))).toBeLessThanOrEqual(WORKFLOW_BUNDLE_BUDGET_KIB);
  });

  it.each(FORBIDDEN_PACKAGES)('contains no module of %s', (name) => {
    const modules = [...bundleCode().matchAll(/node_modules\/((?:@[\w.-]+\/)?[\w.-]+)\//g)].map((match) => match[1]);
    expect(modules.filter((found) => found === name)).toEqual([]);
  });
});
