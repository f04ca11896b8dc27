/**
 * Logging from token code, which runs inside an activity (the usual case: the activity's logger,
 * so lines carry the workflow and activity ids) or outside one (scripts, unit tests: stderr).
 * Callers pass only redacted text and appids, never a token.
 */
import { Context } from '@temporalio/activity';

/** Logs `message` at `level` with `meta`. */
export function tokenLog(level: 'info' | 'warn' | 'error', message: string, meta: Record<string, unknown>): void {
  let context: Context | undefined;
  try {
    context = Context.current();
  } catch {
    context = undefined; // not inside an activity
  }
  if (context) context.log[level](message, meta);
  else console.error(`wxamp-link ${level}: ${message} ${JSON.stringify(meta)}`);
}
