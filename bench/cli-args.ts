/** What the bench's commands share on their command lines: argument checks and how they end. */
import { InvalidArgumentError } from 'commander';

/** commander's parser for a whole number of at least 1. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number, at least 1');
  return n;
}

/**
 * Exits once `run` settles, with `process.exitCode` (1 after an error, printed whole). At once: a
 * long poll or a query left running after a failed phase must not hold the process open.
 */
export function exitWhenDone(run: Promise<void>): void {
  run.then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
