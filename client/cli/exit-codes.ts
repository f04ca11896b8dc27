/** The exit codes of `wxamp`, one table shared by every command and by `wxamp --help`. */

/**
 * How `wxamp` ends. Scripts branch on these, so a code keeps its meaning once published.
 *
 * | code | meaning |
 * | --- | --- |
 * | 0 | success: `linked`, `already_linked`, `unlinked`, `not_linked`, or a command that did its job |
 * | 1 | unexpected error (details with `WXAMP_DEBUG=1`) |
 * | 2 | usage error: a bad or missing argument, or invalid input (the message names the field) |
 * | 3 | `rejected`: the mini-program admin refused (status 3) |
 * | 4 | `refused`: WeChat refused the request with a definitive errcode |
 * | 5 | `expired`: the invitation lapsed or an admin declined it |
 * | 6 | `timed_out`: the admins did not answer before the timeout |
 * | 7 | the workflow was cancelled |
 * | 8 | the workflow failed (e.g. `InvalidInput`, `ConflictingWorkflow`) or was terminated |
 * | 9 | cannot reach Temporal: nothing answers at the address, what answers is not Temporal, the namespace does not exist, or no worker answered |
 * | 10 | a link and an unlink of the same pair would run at once: nothing was started |
 * | 11 | not found: no workflow for the pair (for `poll-now` and `cancel`: none running) |
 * | 130 | interrupted (Ctrl-C) while waiting; the workflow goes on |
 * | 141 | stdout or stderr was closed early (`wxamp … \| head`): 128 + SIGPIPE, as a shell reports a tool a broken pipe ended |
 */
export const ExitCode = {
  Success: 0,
  Unexpected: 1,
  Usage: 2,
  Rejected: 3,
  Refused: 4,
  Expired: 5,
  TimedOut: 6,
  Cancelled: 7,
  WorkflowFailed: 8,
  Unreachable: 9,
  Conflict: 10,
  NotFound: 11,
  Interrupted: 130,
  BrokenPipe: 141,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

// Keyed by the outcome strings of LinkOutcome and UnlinkOutcome (workflows/contract.ts), plus the
// two endings that Temporal itself reports instead of a result.
const OUTCOME_EXIT_CODES: Readonly<Record<string, ExitCode>> = {
  linked: ExitCode.Success,
  already_linked: ExitCode.Success,
  unlinked: ExitCode.Success,
  not_linked: ExitCode.Success,
  rejected: ExitCode.Rejected,
  refused: ExitCode.Refused,
  expired: ExitCode.Expired,
  timed_out: ExitCode.TimedOut,
  cancelled: ExitCode.Cancelled,
  failed: ExitCode.WorkflowFailed,
  terminated: ExitCode.WorkflowFailed,
};

/**
 * The exit code for a workflow's outcome. An outcome this version does not know (the contract
 * may add some) is {@link ExitCode.Unexpected}, so a script never mistakes it for success.
 */
export function exitCodeForOutcome(outcome: string): ExitCode {
  return OUTCOME_EXIT_CODES[outcome] ?? ExitCode.Unexpected;
}

/** The table printed at the end of `wxamp --help`. */
export const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0    success: linked, already_linked, unlinked, not_linked, or the command did its job',
  '  1    unexpected error (set WXAMP_DEBUG=1 for the stack trace)',
  '  2    usage error: bad or missing argument, invalid input',
  '  3    rejected: the mini-program admin refused',
  '  4    refused: WeChat refused the request (errcode in the output)',
  '  5    expired: the invitation lapsed or an admin declined it',
  '  6    timed_out: no answer from the admins before --timeout',
  '  7    the workflow was cancelled',
  '  8    the workflow failed or was terminated',
  '  9    cannot reach Temporal (or what answers is not Temporal, no such namespace, no worker answered)',
  '  10   a link and an unlink of the same pair would run at once: nothing started',
  '  11   not found: no workflow for the pair (poll-now, cancel: none running)',
  '  130  interrupted (Ctrl-C) while waiting; the workflow goes on',
  '  141  output closed early (e.g. piped into head)',
].join('\n');
