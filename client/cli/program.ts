/** The `wxamp` command line: its commands, its help, and how commander reports usage errors. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { registerLinkCommands } from './commands/link';
import { registerFindCommand } from './commands/find';
import { registerListCommand } from './commands/list';
import { registerSignalCommands } from './commands/signals';
import { registerStatusCommands } from './commands/status';
import { registerCampaignCommands } from './commands/campaign';
import { addConnectionOptions } from './connection-options';
import { EXIT_CODES_HELP } from './exit-codes';

const OVERVIEW = `
Examples:
  wxamp link wx1111111111111111 wx2222222222222222 --show-profile --wait
  wxamp status wx1111111111111111 wx2222222222222222
  wxamp list wx1111111111111111 --json
  wxamp find --status waiting

Durations are Temporal durations: 100ms, 30s, 5m, 7d.
Each link workflow has the id wxamp-link/<oa>/<mp> (unlinks: wxamp-unlink/<oa>/<mp>).
`;

/** Builds the program. Usage errors throw a `CommanderError` (after printing one line) instead of exiting. */
export function createProgram(): Command {
  const program = new Command('wxamp')
    .description('Link WeChat mini programs (小程序) to official accounts (公众号) through the wxamp-link Temporal worker.')
    .version(packageVersion(), '-V, --version')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showSuggestionAfterError()
    // Settings made before the subcommands are added are inherited by them.
    .exitOverride();
  addConnectionOptions(program);

  registerLinkCommands(program);
  registerStatusCommands(program);
  registerSignalCommands(program);
  registerListCommand(program);
  registerFindCommand(program);
  registerCampaignCommands(program);

  program.addHelpText('after', `${OVERVIEW}\n${EXIT_CODES_HELP}\n`);
  for (const command of [program, ...program.commands]) {
    const help = command === program ? 'wxamp --help' : `wxamp ${command.name()} --help`;
    // One line, prefixed like every other wxamp error, that says where to look.
    command.configureOutput({
      outputError: (message, write) =>
        write(
          `wxamp: ${message
            .replace(/^error: /, '')
            .trim()
            .replace(/\s*\n\s*/g, ' ')} (see ${help})\n`,
        ),
    });
  }
  return program;
}

/** The packages `wxamp` ships in: the repository itself, and the client package built from it. */
const OWN_PACKAGES: ReadonlySet<unknown> = new Set(['wxamp-link', '@wxamp-link/client']);

/**
 * The version in package.json, found by walking up from this file (it sits in dist/ or in the
 * sources, of the repository or of the installed client package).
 */
function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
    if (OWN_PACKAGES.has(parsed.name) && typeof parsed.version === 'string') return parsed.version;
  }
  return 'unknown';
}
