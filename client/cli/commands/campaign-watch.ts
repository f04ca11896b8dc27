/**
 * `wxamp campaign watch` (a live progress bar with counts and ETA, or one line per change when
 * piped, or JSON lines) and `wxamp campaign report` (one line per pair, CSV or JSON).
 */
import type { Command } from 'commander';
import logUpdate from 'log-update';
import type { CampaignState } from '../../../workflows/campaign/campaign-contract';
import type { CampaignReportRow } from '../../campaign-report';
import { CliError } from '../cli-error';
import { withDeadline, withLinkSession } from '../connection-options';
import { ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { commandContext, withJsonFlag, type CommonFlags } from './shared';

const WATCH_EVERY_MS = 1_000;
const QUERY_DEADLINE_MS = 5_000;
const BAR_WIDTH = 30;

/** Registers `watch` and `report` under `wxamp campaign`. */
export function registerCampaignFollowCommands(campaign: Command): void {
  withJsonFlag(campaign.command('watch').argument('<campaignId>', 'the campaign id'), 'one getCampaignState object per line, while it changes')
    .description('show a live progress bar with counts and ETA until the campaign ends')
    .action(async (campaignId: string, _flags: CommonFlags, command: Command) => {
      const { settings, output } = commandContext(command);
      await withLinkSession(settings, async (session) => {
        const handle = session.links.getCampaign(campaignId);
        let last = '';
        for (;;) {
          const state = await withDeadline(session, QUERY_DEADLINE_MS, () => handle.state());
          const line = progressLine(state, output);
          if (output.json) {
            const key = JSON.stringify(state.counts) + state.phase;
            if (key !== last) output.printJson(state);
            last = key;
          } else if (output.tty) {
            logUpdate(line);
          } else if (line !== last) {
            output.print(line);
            last = line;
          }
          if (state.phase === 'done') break;
          await new Promise((resolve) => setTimeout(resolve, WATCH_EVERY_MS));
        }
        if (output.tty && !output.json) logUpdate.done();
      });
      process.exitCode = ExitCode.Success;
    });

  campaign
    .command('report')
    .argument('<campaignId>', 'the campaign id')
    .option('-o, --output <format>', 'csv or json (one JSON object per line)', 'csv')
    .description('write one line per pair: pair, outcome, status, errcode, finished at (skipped pairs once the campaign has ended)')
    .action(async (campaignId: string, flags: { output: string }, command: Command) => {
      if (flags.output !== 'csv' && flags.output !== 'json')
        throw new CliError(`--output: must be csv or json (got ${JSON.stringify(flags.output)})`, ExitCode.Usage);
      const { settings, output } = commandContext(command);
      const rows = await withLinkSession(settings, (session) => session.links.campaignReport(campaignId));
      if (flags.output === 'json') for (const row of rows) output.printJson(row);
      else output.print([CSV_HEAD, ...rows.map(csvLine)].join('\n'));
      process.exitCode = ExitCode.Success;
    });
}

const CSV_HEAD = 'officialAccountAppId,miniProgramAppId,outcome,status,errcode,finishedAt,note';

function csvLine(row: CampaignReportRow): string {
  const cell = (value: string | number | null) => {
    const text = value === null ? '' : String(value);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [row.officialAccountAppId, row.miniProgramAppId, row.outcome, row.status, row.errcode, row.finishedAt, row.note].map(cell).join(',');
}

/** `[██████░░░░] 312/500 · linked 290, refused 12 · 40 waiting · 148 to start · 60/min · ETA 17:42:10`. */
export function progressLine(state: CampaignState, output: Output): string {
  const c = state.counts;
  const done = c.finished + c.skipped;
  const filled = c.total === 0 ? 0 : Math.round((done / c.total) * BAR_WIDTH);
  const bar = `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}]`;
  const outcomes =
    Object.entries(c.byOutcome)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'no outcome yet';
  const pace = `${state.pace.currentStartsPerMinute}/min${state.pace.slowedBy ? ` (slowed by ${state.pace.slowedBy})` : ''}`;
  const eta = state.eta ? ` · ETA ${state.eta.slice(11, 19)}` : '';
  const problem = state.recentProblems.at(-1);
  const tail = problem
    ? `\n  last problem: ${problem.officialAccountAppId}/${problem.miniProgramAppId} ${problem.outcome}${problem.errcode ? ` ${problem.errcode}` : ''}`
    : '';
  return `${output.c.bold(state.phase)} ${bar} ${done}/${c.total} · ${outcomes} · ${c.waiting} waiting · ${c.pending} to start · ${pace}${eta}${output.tty ? tail : ''}`;
}
