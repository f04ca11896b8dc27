/** `wxamp find`: link and unlink workflows, found through their search attributes (Temporal's visibility). */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { findLinksQuery, WX_LINK_STATUSES, type FindLinksFilter } from '../../find-links';
import { InputValidationError } from '../../../workflows/support/validate-input';
import { inputCliError } from '../cli-error';
import { FIND_CLI_NAMES } from '../cli-names';
import { withLinkSession } from '../connection-options';
import { ExitCode } from '../exit-codes';
import { renderFound } from '../render';
import { commandContext, withJsonFlag, type CommonFlags } from './shared';

interface FindFlags extends CommonFlags {
  oa?: string;
  mp?: string;
  status?: string;
  unlink?: boolean;
  any?: boolean;
  limit?: number;
}

/** Registers `find`. */
export function registerFindCommand(program: Command): void {
  withJsonFlag(program.command('find'), 'the array of found workflows')
    .description('find link (and unlink) workflows by their search attributes, newest first')
    .option('--oa <appid>', 'official account (WxOfficialAccountAppId)')
    .option('--mp <appid>', 'mini program (WxMiniProgramAppId)')
    // Known values only: any other finds nothing, which would read as "none are waiting".
    .addOption(new Option('--status <status>', 'phase or outcome (WxLinkStatus)').choices(WX_LINK_STATUSES))
    .addOption(new Option('--unlink', 'unlink workflows instead of links').conflicts('any'))
    .option('--any', 'links and unlinks')
    .option('--limit <n>', 'at most this many', positiveInteger, 100)
    .addHelpText(
      'after',
      "\nExample:\n  wxamp find --status waiting --oa wx1111111111111111\n\nTemporal's visibility lags a second or so behind the workflows.",
    )
    .action(async (flags: FindFlags, command: Command) => {
      const filter: FindLinksFilter = {
        kind: flags.any === true ? 'any' : flags.unlink === true ? 'unlink' : 'link',
        ...(flags.oa !== undefined && { officialAccountAppId: flags.oa }),
        ...(flags.mp !== undefined && { miniProgramAppId: flags.mp }),
        ...(flags.status !== undefined && { status: flags.status }),
        ...(flags.limit !== undefined && { limit: flags.limit }),
      };
      const query = queryOf(filter); // checks the values before any connection is made
      const { settings, output } = commandContext(command);
      const found = await withLinkSession(settings, (session) => session.links.findLinks(filter));
      if (output.json) output.printJson(found);
      else if (found.length === 0) output.print(`No workflows match ${query}.`);
      else output.print(renderFound(found, (head, rows) => output.table(head, rows), output.c));
      process.exitCode = ExitCode.Success;
    });
}

function queryOf(filter: FindLinksFilter): string {
  try {
    return findLinksQuery(filter);
  } catch (error) {
    throw error instanceof InputValidationError ? inputCliError(error, FIND_CLI_NAMES) : error;
  }
}

function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('must be a positive whole number');
  return Number(value);
}
