/**
 * The error type for failures a person can fix: a missing tool, a taken port, a bad
 * environment variable. Entry points print only its message; anything else is a bug and keeps
 * its stack trace.
 */
export class SetupError extends Error {
  override readonly name = 'SetupError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Whether `err` is a {@link SetupError}. Checks the name rather than `instanceof` so that it
 * holds across module copies (a test runner and `dist/` each loading their own).
 */
export function isSetupError(err: unknown): err is SetupError {
  return err instanceof Error && err.name === 'SetupError';
}

/**
 * Prints the failure that ends an entry point: just the message for a {@link SetupError}, the
 * whole error (with its stack) for anything unexpected.
 */
export function printFatal(err: unknown): void {
  if (isSetupError(err)) console.error(`Error: ${err.message}`);
  else console.error(err);
}
