/**
 * zod schemas for the values workflow input shares with the client, the CLI and the worker's
 * configuration. Outside workflows/ on purpose: imported by workflow code, zod costs about a
 * megabyte per cached workflow. Each wraps the workflows' own pure check, so that there is one definition
 * of what a valid appid or duration is.
 */
import { z } from 'zod';
import { checkAppId, checkDuration, type Checked } from '../workflows/support/input-fields';

/** A schema of `check`: its value when valid, else one custom issue with its message. */
function fromCheck<T>(check: (value: unknown) => Checked<T>): z.ZodType<T, unknown> {
  return z.unknown().transform((value, ctx) => {
    const result = check(value);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: result.problem });
    return z.NEVER;
  });
}

/** An official-account or mini-program appid (see {@link checkAppId}). */
export const appIdSchema = fromCheck(checkAppId);

/** A Temporal duration (`'200ms'`, `'30s'`, `'7d'`) or a number of milliseconds, as milliseconds. */
export const durationSchema = fromCheck(checkDuration);
