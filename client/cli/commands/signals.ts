/** `wxamp poll-now` and `wxamp cancel`: nudge or stop a running pair workflow. */
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { withLinkSession, type LinkSession } from '../connection-options';
import { ExitCode } from '../exit-codes';
import { pairOf, pairWorkflowId, type Pair } from '../pair';
import { commandContext, withJsonFlag, withPairArguments, withUnlinkFlag, type CommonFlags } from './shared';

interface PairFlags extends CommonFlags {
  unlink?: boolean;
}

/** Registers `poll-now` and `cancel`. */
export function registerSignalCommands(program: Command): void {
  withJsonFlag(withUnlinkFlag(withPairArguments(program.command('poll-now'))), '{ workflowId, action: "pollNow" }')
    .description('make a waiting workflow poll wxamplinkget at once (e.g. when you know an admin just confirmed)')
    .action(async (oa: string, mp: string, flags: PairFlags, command: Command) => {
      const pair = pairOf(oa, mp, flags); // checks the appids before any connection is made
      const { settings, output } = commandContext(command);
      await withLinkSession(settings, async (session) => {
        await requireRunning(session, pair, 'poll');
        await session.links.pollNow(oa, mp, pair.kind);
      });
      if (output.json) output.printJson({ workflowId: pairWorkflowId(pair), action: 'pollNow' });
      else output.print(`Asked ${pairWorkflowId(pair)} to poll wxamplinkget now.`);
      process.exitCode = ExitCode.Success;
    });

  withJsonFlag(withUnlinkFlag(withPairArguments(program.command('cancel'))), '{ workflowId, action: "cancel" }')
    .description('cancel a running workflow: it stops waiting and ends as cancelled (an invitation already sent stays with WeChat)')
    .action(async (oa: string, mp: string, flags: PairFlags, command: Command) => {
      const pair = pairOf(oa, mp, flags); // checks the appids before any connection is made
      const { settings, output } = commandContext(command);
      await withLinkSession(settings, async (session) => {
        await requireRunning(session, pair, 'cancel');
        await session.links.cancel(oa, mp, pair.kind);
      });
      if (output.json) output.printJson({ workflowId: pairWorkflowId(pair), action: 'cancel' });
      else
        output.print(
          `Cancellation requested: ${pairWorkflowId(pair)} ends as cancelled (see wxamp status ${oa} ${mp}${pair.kind === 'unlink' ? ' --unlink' : ''}).`,
        );
      process.exitCode = ExitCode.Success;
    });
}

/**
 * Temporal answers a signal or cancel to an ended workflow with "not found"; saying that it has
 * ended (and how) is more useful than claiming it does not exist.
 */
async function requireRunning(session: LinkSession, pair: Pair, what: string): Promise<void> {
  const description = await session.links.getHandle(pair.officialAccountAppId, pair.miniProgramAppId, pair.kind).describe();
  if (description.status.name !== 'RUNNING') {
    throw new CliError(`${description.workflowId} has already ended (${description.status.name}): nothing to ${what}`, ExitCode.NotFound);
  }
}
