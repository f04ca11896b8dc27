/**
 * `wxamp campaign start|pause|resume|cancel` (and, from campaign-watch.ts, `watch` and `report`):
 * link one mini program to many official accounts, or any list of pairs, at a quota-aware pace.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CampaignInput, CampaignPair } from '../../../workflows/campaign/campaign-contract';
import { campaignMessages } from '../../campaign-client';
import { CliError } from '../cli-error';
import { withLinkSession } from '../connection-options';
import { ExitCode } from '../exit-codes';
import { registerCampaignFollowCommands } from './campaign-watch';
import { commandContext, withJsonFlag, type CommonFlags } from './shared';

interface StartFlags extends CommonFlags {
  miniProgram?: string;
  accounts?: string;
  pairs?: string;
  id?: string;
  maxInFlight?: string;
  startsPerMinute?: string;
  onCancel?: string;
  notifyUsers?: boolean;
  showProfile?: boolean;
  pollInterval?: string;
  maxPollInterval?: string;
  timeout?: string;
  notifyUrl?: string;
  notifyTransitions?: boolean;
}

/** Registers `wxamp campaign …`. */
export function registerCampaignCommands(program: Command): void {
  const campaign = program.command('campaign').description('link many pairs at a quota-aware pace: start, watch, report, pause, resume, cancel');

  withJsonFlag(campaign.command('start'), '{ campaignId, joined, pairs, duplicatesRemoved }')
    .description('start a campaign (or join the running one with the same --id)')
    .option('--mini-program <appid>', 'the mini program to link to every account of --accounts')
    .option('--accounts <file>', 'official-account appids, one per line (# comments and blank lines ignored)')
    .option('--pairs <file>', 'CSV of officialAccountAppId,miniProgramAppId (a header line is skipped)')
    .option('--id <campaignId>', 'the campaign id (default wxamp-campaign/<uuid>)')
    .option('--max-in-flight <n>', 'the most links waiting at once (default 50)')
    .option('--starts-per-minute <n>', 'the most links started per minute (default 60)')
    .option('--on-cancel <mode>', "what cancel does with the links started: 'leave' (default) or 'cancel-links'")
    .option('--notify-users', 'notify_users=1 on every link')
    .option('--show-profile', 'show_profile=1 on every link')
    .option('--poll-interval <duration>', 'first wait between polls (default 15s)')
    .option('--max-poll-interval <duration>', 'longest wait between polls (default 5m)')
    .option('--timeout <duration>', "each link's deadline (default 7d)")
    .option('--notify-url <url>', "post each link's webhook events, and the campaign's, here too (see docs/webhooks.md)")
    .option('--notify-transitions', "post every link's status changes too")
    .addHelpText(
      'after',
      '\nExamples:\n  wxamp campaign start --mini-program wx2222222222222222 --accounts accounts.txt\n  wxamp campaign start --pairs pairs.csv --starts-per-minute 30 --id spring-2026',
    )
    .action(async (flags: StartFlags, command: Command) => {
      const { settings, output } = commandContext(command);
      const input = campaignInput(flags);
      campaignMessages(input); // a bad appid or option is a usage error before any connection is made
      const pairs = 'pairs' in input ? input.pairs.length : 'officialAccountAppIds' in input ? input.officialAccountAppIds.length : 0;
      const handle = await withLinkSession(settings, (session) => session.links.campaign(input, flags.id !== undefined ? { campaignId: flags.id } : {}));
      if (output.json) {
        output.printJson({ campaignId: handle.campaignId, joined: handle.joined, pairs, duplicatesRemoved: handle.duplicatesRemoved });
      } else {
        output.print(
          `${handle.joined ? 'Joined the running campaign' : 'Started campaign'} ${output.c.bold(handle.campaignId)}: ${pairs} pairs listed, ${handle.duplicatesRemoved} duplicates removed.`,
        );
        output.print(`Follow it: wxamp campaign watch ${handle.campaignId}`);
      }
      process.exitCode = ExitCode.Success;
    });

  registerCampaignFollowCommands(campaign);

  const controls = [
    ['pause', 'start no more links until resume (links already waiting go on)'],
    ['resume', 'start links again'],
    ['cancel', "start no more links and skip the rest; links started are cancelled or left, as the campaign's onCancel says"],
  ] as const;
  for (const [name, description] of controls) {
    withJsonFlag(campaign.command(name).argument('<campaignId>', 'the campaign id'), `{ campaignId, action: "${name}" }`)
      .description(description)
      .action(async (campaignId: string, _flags: CommonFlags, command: Command) => {
        const { settings, output } = commandContext(command);
        await withLinkSession(settings, async (session) => {
          const handle = session.links.getCampaign(campaignId);
          const description = await handle.workflow.describe();
          if (description.status.name !== 'RUNNING')
            throw new CliError(`${campaignId} has already ended (${description.status.name}): nothing to ${name}`, ExitCode.NotFound);
          await handle[name]();
        });
        if (output.json) output.printJson({ campaignId, action: name });
        else output.print(`Sent ${name} to campaign ${campaignId}.`);
        process.exitCode = ExitCode.Success;
      });
  }
}

/** The campaign input the flags and files describe. */
function campaignInput(flags: StartFlags): CampaignInput {
  const number = (flag: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw new CliError(`${flag}: must be a whole number (got ${JSON.stringify(value)})`, ExitCode.Usage);
    return Number(value);
  };
  const options = {
    ...(flags.notifyUsers && { notifyUsers: true }),
    ...(flags.showProfile && { showProfile: true }),
    ...(flags.pollInterval !== undefined && { pollInterval: flags.pollInterval }),
    ...(flags.maxPollInterval !== undefined && { maxPollInterval: flags.maxPollInterval }),
    ...(flags.timeout !== undefined && { timeout: flags.timeout }),
    ...(flags.notifyUrl !== undefined && { notifyUrl: flags.notifyUrl }),
    ...(flags.notifyTransitions && { notifyTransitions: true }),
    ...(flags.maxInFlight !== undefined && { maxInFlight: number('--max-in-flight', flags.maxInFlight) }),
    ...(flags.startsPerMinute !== undefined && { startsPerMinute: number('--starts-per-minute', flags.startsPerMinute) }),
    ...(flags.onCancel !== undefined && { onCancel: flags.onCancel }),
  };
  if (flags.pairs !== undefined) {
    if (flags.accounts !== undefined || flags.miniProgram !== undefined)
      throw new CliError('--pairs: give either --pairs, or --mini-program with --accounts', ExitCode.Usage);
    return { ...options, pairs: readPairs(flags.pairs) } as CampaignInput;
  }
  if (flags.miniProgram === undefined || flags.accounts === undefined) throw new CliError('give --mini-program with --accounts, or --pairs', ExitCode.Usage);
  return { ...options, miniProgramAppId: flags.miniProgram, officialAccountAppIds: readLines(flags.accounts) } as CampaignInput;
}

function readLines(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`, ExitCode.Usage);
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function readPairs(file: string): CampaignPair[] {
  const lines = readLines(file);
  if (lines[0] !== undefined && /officialAccount|appid/i.test(lines[0])) lines.shift();
  return lines.map((line, i) => {
    const [oa, mp, ...rest] = line.split(',').map((cell) => cell.trim().replace(/^"|"$/g, ''));
    if (!oa || !mp || rest.length > 0)
      throw new CliError(`${file}:${i + 1}: expected officialAccountAppId,miniProgramAppId (got ${JSON.stringify(line)})`, ExitCode.Usage);
    return { officialAccountAppId: oa, miniProgramAppId: mp };
  });
}
