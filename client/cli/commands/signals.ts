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

/** One command that acts on a running pair workflow. */
interface SignalCommand {
  name: 'poll-now' | 'cancel';
  action: 'pollNow' | 'cancel';
  /** The verb of "nothing to …" when the workflow has ended. */
  verb: string;
  description: string;
  act(session: LinkSession, pair: Pair): Promise<void>;
  done(pair: Pair): string;
}

const SIGNAL_COMMANDS: readonly SignalCommand[] = [
  {
    name: 'poll-now',
    action: 'pollNow',
    verb: 'poll',
    description: 'make a waiting workflow poll wxamplinkget at once (e.g. when you know an admin just confirmed)',
    act: (session, pair) => session.links.pollNow(pair.officialAccountAppId, pair.miniProgramAppId, pair.kind),
    done: (pair) => `Asked ${pairWorkflowId(pair)} to poll wxamplinkget now.`,
  },
  {
    name: 'cancel',
    action: 'cancel',
    verb: 'cancel',
    description: 'cancel a running workflow: it stops waiting and ends as cancelled (an invitation already sent stays with WeChat)',
    act: (session, pair) => session.links.cancel(pair.officialAccountAppId, pair.miniProgramAppId, pair.kind),
    done: (pair) =>
      `Cancellation requested: ${pairWorkflowId(pair)} ends as cancelled (see wxamp status ${pair.officialAccountAppId} ${pair.miniProgramAppId}${pair.kind === 'unlink' ? ' --unlink' : ''}).`,
  },
];

/** Registers `poll-now` and `cancel`. */
export function registerSignalCommands(program: Command): void {
  for (const spec of SIGNAL_COMMANDS) {
    withJsonFlag(withUnlinkFlag(withPairArguments(program.command(spec.name))), `{ workflowId, action: "${spec.action}" }`)
      .description(spec.description)
      .action(async (oa: string, mp: string, flags: PairFlags, command: Command) => {
        const pair = pairOf(oa, mp, flags); // checks the appids before any connection is made
        const { settings, output } = commandContext(command);
        await withLinkSession(settings, async (session) => {
          await requireRunning(session, pair, spec.verb);
          await spec.act(session, pair);
        });
        if (output.json) output.printJson({ workflowId: pairWorkflowId(pair), action: spec.action });
        else output.print(spec.done(pair));
        process.exitCode = ExitCode.Success;
      });
  }
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
