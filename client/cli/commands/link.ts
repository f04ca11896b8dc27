/** `wxamp link` and `wxamp unlink`: start (or join) a pair's workflow, and with `--wait` follow it to its outcome. */
import type { Command } from 'commander';
import type { LinkInput, UnlinkInput } from '../../../workflows/contract';
import { normalizeLinkInput, normalizeUnlinkInput } from '../../../workflows/support/validate-input';
import { withLinkSession, type LinkSession } from '../connection-options';
import { ExitCode } from '../exit-codes';
import { followUntilEnd } from '../follow';
import type { Pair } from '../pair';
import { createWatchView } from '../watch-view';
import { commandContext, withJsonFlag, withPairArguments, type CommandContext, type CommonFlags } from './shared';

interface WaitFlags extends CommonFlags {
  username?: string;
  pollInterval?: string;
  maxPollInterval?: string;
  timeout?: string;
  notifyUrl?: string;
  notifyTransitions?: boolean;
  wait?: boolean;
}

interface LinkFlags extends WaitFlags {
  notifyUsers?: boolean;
  showProfile?: boolean;
}

/** Registers `link` and `unlink`. */
export function registerLinkCommands(program: Command): void {
  const link = withPairArguments(program.command('link'))
    .description('start linking a mini program to an official account, or join the link already running for the pair')
    .option('--notify-users', "notify the account's followers by template message (notify_users=1)")
    .option('--show-profile', "show the mini program on the account's profile page (show_profile=1)");
  withWaitingOptions(link, 'link')
    .addHelpText(
      'after',
      '\nExamples:\n  wxamp link wx1111111111111111 wx2222222222222222 --show-profile --wait\n  wxamp link wxOA wxMP --poll-interval 30s --timeout 2d --json',
    )
    .action(async (oa: string, mp: string, flags: LinkFlags, command: Command) => {
      const input: LinkInput = {
        officialAccountAppId: oa,
        miniProgramAppId: mp,
        notifyUsers: flags.notifyUsers === true,
        showProfile: flags.showProfile === true,
        ...waitingInput(flags),
      };
      normalizeLinkInput(input); // a typo is a usage error before any connection is made
      const context = commandContext(command);
      process.exitCode = await withLinkSession(context.settings, async (session) =>
        started(context, session, { officialAccountAppId: oa, miniProgramAppId: mp, kind: 'link' }, await session.links.link(input), flags),
      );
    });

  withWaitingOptions(
    withPairArguments(program.command('unlink')).description('start unlinking a mini program from an official account (the account admin must confirm)'),
    'unlink',
  )
    .addHelpText('after', '\nExample:\n  wxamp unlink wx1111111111111111 wx2222222222222222 --wait')
    .action(async (oa: string, mp: string, flags: WaitFlags, command: Command) => {
      const input: UnlinkInput = { officialAccountAppId: oa, miniProgramAppId: mp, ...waitingInput(flags) };
      normalizeUnlinkInput(input);
      const context = commandContext(command);
      process.exitCode = await withLinkSession(context.settings, async (session) =>
        started(context, session, { officialAccountAppId: oa, miniProgramAppId: mp, kind: 'unlink' }, await session.links.unlink(input), flags),
      );
    });
}

function withWaitingOptions(command: Command, kind: 'link' | 'unlink'): Command {
  return withJsonFlag(
    command
      .option('--username <gh_id>', "the mini program's gh_… username, if known (matches answers that carry no appid)")
      .option('--poll-interval <duration>', 'first wait between wxamplinkget polls, e.g. 30s (default 15s)')
      .option('--max-poll-interval <duration>', 'the polls back off up to this while nothing changes (default 5m)')
      .option('--timeout <duration>', 'give up waiting for the admins after this long (default 7d)')
      .option('--notify-url <url>', `also post this ${kind}'s webhook events here (the worker needs WXAMP_WEBHOOK_SECRET; see docs/webhooks.md)`)
      .option('--notify-transitions', 'post every status change too, not only the outcome')
      .option('--wait', `follow the ${kind} live until its outcome, and exit with the outcome's code`),
    `{ workflowId, runId }; with --wait one JSON object per line: started, each state, then the outcome`,
  );
}

function waitingInput(flags: WaitFlags): Omit<UnlinkInput, 'officialAccountAppId' | 'miniProgramAppId'> {
  return {
    ...(flags.username !== undefined && { miniProgramUsername: flags.username }),
    ...(flags.pollInterval !== undefined && { pollInterval: flags.pollInterval }),
    ...(flags.maxPollInterval !== undefined && { maxPollInterval: flags.maxPollInterval }),
    ...(flags.timeout !== undefined && { timeout: flags.timeout }),
    ...(flags.notifyUrl !== undefined && { notifyUrl: flags.notifyUrl }),
    ...(flags.notifyTransitions === true && { notifyTransitions: true }),
  } as Omit<UnlinkInput, 'officialAccountAppId' | 'miniProgramAppId'>;
}

async function started(
  context: CommandContext,
  session: LinkSession,
  pair: Pair,
  handle: { workflowId: string; firstExecutionRunId: string },
  flags: WaitFlags,
): Promise<ExitCode> {
  const { output } = context;
  const ids = { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
  if (output.json) {
    output.printJson(flags.wait === true ? { type: 'started', ...ids } : ids);
  } else {
    const { c } = output;
    output.print(
      `${pair.kind === 'link' ? 'Linking' : 'Unlinking'} ${pair.miniProgramAppId} ${pair.kind === 'link' ? 'to' : 'from'} ${pair.officialAccountAppId}: workflow ${c.bold(ids.workflowId)}, run ${ids.runId}`,
    );
    output.print(c.dim(`  (a second ${pair.kind} of the same pair joins this workflow instead of sending again)`));
    if (flags.wait !== true) {
      output.print(`Follow it: wxamp watch ${pair.officialAccountAppId} ${pair.miniProgramAppId}${pair.kind === 'unlink' ? ' --unlink' : ''}`);
    }
  }
  if (flags.wait !== true) return ExitCode.Success;
  const ending = await followUntilEnd(session, pair, createWatchView(output, ids.workflowId), output);
  return ending.exitCode;
}
