/**
 * The zod schema of the account watcher's `getAccountWatchState` answer (an addition to DESIGN),
 * with a compile-time proof that it matches `AccountWatchState` in workflows/contract.ts.
 */
import { z } from 'zod';
import type { AccountWatchState } from '../../workflows/contract';
import { lastErrorSchema } from './link-schemas';
import type { Assert, SameShape } from './same-shape';

/** What the query `getAccountWatchState` of a `watchOfficialAccount` workflow answers. */
export const accountWatchStateSchema = z
  .object({
    officialAccountAppId: z.string(),
    waiters: z.array(z.string()),
    polls: z.number(),
    lastPollAt: z.string().nullable(),
    nextPollAt: z.string().nullable(),
    delayMs: z.number().nullable(),
    lastError: lastErrorSchema.nullable(),
    pollLagsMs: z.array(z.number()),
  })
  .meta({ title: 'getAccountWatchState answer', description: "What the getAccountWatchState query of an account's watchOfficialAccount workflow answers." });
type _AccountWatchState = Assert<SameShape<z.output<typeof accountWatchStateSchema>, AccountWatchState>>;
