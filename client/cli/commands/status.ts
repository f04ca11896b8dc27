/** `wxamp status` and `wxamp watch`: a pair's workflow state, once or live until its outcome. */
import type { Command } from 'commander';
import { withDeadline, withLinkSession } from '../connection-options';
import { ExitCode } from '../exit-codes';
import { followUntilEnd } from '../follow';
import { pairOf, pairWorkflowId } from '../pair';
import { renderState } from '../render';
import { createWatchView } from '../watch-view';
import { commandContext, withJsonFlag, withPairArguments, withUnlinkFlag, type CommonFlags } from './shared';

interface PairFlags extends CommonFlags {
  unlink?: boolean;
}

/** A query that takes longer has no worker to answer it. */
const QUERY_DEADLINE_MS = 10_000;

/** Registers `status` and `watch`. */
export function registerStatusCommands(program: Command): void {
  withJsonFlag(withUnlinkFlag(withPairArguments(program.command('status'))), 'the getLinkState answer plus workflowId, runId and executionStatus')
    .description("show a pair's workflow state (the getLinkState query): phase, status, outcome, polls, next poll, deadline, last error, transitions")
    .action(async (oa: string, mp: string, flags: PairFlags, command: Command) => {
      const pair = pairOf(oa, mp, flags); // checks the appids before any connection is made
      const { settings, output } = commandContext(command);
      await withLinkSession(settings, async (session) => {
        const handle = session.links.getHandle(oa, mp, pair.kind);
        const description = await handle.describe();
        const state = await withDeadline(session, QUERY_DEADLINE_MS, () => session.links.getState(oa, mp, pair.kind));
        if (output.json) {
          output.printJson({ workflowId: description.workflowId, runId: description.runId, executionStatus: description.status.name, ...state });
          return;
        }
        const { c } = output;
        output.print(`${c.bold(description.workflowId)}  ${description.status.name} ${c.dim(`(run ${description.runId})`)}`);
        output.print(renderState(state, c, Date.now()).join('\n'));
      });
      process.exitCode = ExitCode.Success;
    });

  withJsonFlag(
    withUnlinkFlag(withPairArguments(program.command('watch'))),
    'one JSON object per line: each state that changes ({"type":"state",…}), then {"type":"outcome",…}',
  )
    .description("follow a pair's workflow live until its outcome, then exit with the outcome's code")
    .addHelpText(
      'after',
      '\nOn a terminal the view is redrawn in place; piped, it prints one line per change.\nCtrl-C stops watching (exit 130); the workflow goes on.',
    )
    .action(async (oa: string, mp: string, flags: PairFlags, command: Command) => {
      const pair = pairOf(oa, mp, flags); // checks the appids before any connection is made
      const { settings, output } = commandContext(command);
      process.exitCode = await withLinkSession(settings, async (session) => {
        const ending = await followUntilEnd(session, pair, createWatchView(output, pairWorkflowId(pair)), output);
        return ending.exitCode;
      });
    });
}
