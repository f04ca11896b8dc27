/** Waiting in tests: for a condition, polled, with a clear failure when it never comes. */

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once `predicate` holds; rejects after `timeoutMs` naming what was awaited. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, what = 'condition', timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await sleep(25);
  }
}
