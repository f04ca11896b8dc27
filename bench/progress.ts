/** Progress lines while the bench runs, each stamped with the time since the run began. */

/** Writes one progress line. */
export type Log = (line: string) => void;

/** A {@link Log} that prefixes `[  12.3s]` (seconds since `startedAtMs`) and writes to stdout. */
export function progressLog(startedAtMs: number): Log {
  return (line) => {
    const seconds = ((Date.now() - startedAtMs) / 1_000).toFixed(1).padStart(6);
    process.stdout.write(`[${seconds}s] ${line}\n`);
  };
}

/**
 * Calls `report` every `everyMs` until the returned stop function is called: a heartbeat for long
 * waits, so a run never sits silent for minutes.
 */
export function every(everyMs: number, report: () => void | Promise<void>): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    Promise.resolve(report())
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, everyMs);
  return () => clearInterval(timer);
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
