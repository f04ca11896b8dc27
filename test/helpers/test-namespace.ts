/**
 * The namespace the tests' workflows run in: TEMPORAL_TEST_NAMESPACE (the production-local stack
 * sets `wxamp`, where docs/deployment.md's commands registered the search attributes), else the
 * dev server's `default`.
 */
export function testNamespace(): string {
  return process.env.TEMPORAL_TEST_NAMESPACE || 'default';
}
