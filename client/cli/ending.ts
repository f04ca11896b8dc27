/**
 * How a pair's workflow ended, in one shape: the outcome it returned, or the cancellation,
 * termination or failure that Temporal reports instead of a result — each with its exit code.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, TerminatedFailure } from '@temporalio/common';
import type { PairResult } from '../../workflows/contract';
import type { LinkSession } from './connection-options';
import { exitCodeForOutcome, type ExitCode } from './exit-codes';
import type { Pair } from './pair';

/** The end of a link or unlink workflow. */
export interface Ending {
  /** The workflow's outcome (`linked`, `refused`, …), or `cancelled`, `terminated` or `failed`. */
  outcome: string;
  exitCode: ExitCode;
  /** What the workflow returned; `null` when it ended without a result. */
  result: PairResult<string> | null;
  /** Why it ended without a result (e.g. `InvalidInput: pollInterval: …`); `null` otherwise. */
  reason: string | null;
}

/** Waits until the pair's workflow ends (following continue-as-new) and says how it ended. */
export async function awaitEnding(session: LinkSession, pair: Pair): Promise<Ending> {
  try {
    const result = await session.links.result(pair.officialAccountAppId, pair.miniProgramAppId, pair.kind);
    return { outcome: result.outcome, exitCode: exitCodeForOutcome(result.outcome), result, reason: null };
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    return endingOfFailure(error);
  }
}

function endingOfFailure(error: WorkflowFailedError): Ending {
  const cause = error.cause;
  const ending = (outcome: string, reason: string): Ending => ({ outcome, exitCode: exitCodeForOutcome(outcome), result: null, reason });
  if (cause instanceof CancelledFailure) return ending('cancelled', 'the workflow was cancelled');
  if (cause instanceof TerminatedFailure) return ending('terminated', `the workflow was terminated${cause.message ? `: ${cause.message}` : ''}`);
  if (cause instanceof ApplicationFailure) return ending('failed', `${cause.type ?? 'Error'}: ${cause.message}`);
  return ending('failed', cause?.message ?? error.message);
}
