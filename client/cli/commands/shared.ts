/** What the commands share: the pair arguments, `--json` / `-o`, `--unlink`, and the context an action runs in. */
import { Option, type Command } from 'commander';
import { CliError } from '../cli-error';
import { readConnectionSettings, type ConnectionSettings } from '../connection-options';
import { ExitCode } from '../exit-codes';
import { createOutput, type Output } from '../output';

/** Every action gets these: where to connect, and where to write. */
export interface CommandContext {
  settings: ConnectionSettings;
  output: Output;
}

/** The formats of `-o, --output`: `text` for people, `json` for scripts (the same as `--json`). */
export const OutputFormat = { Text: 'text', Json: 'json' } as const;
export type OutputFormat = (typeof OutputFormat)[keyof typeof OutputFormat];

/** Flags every command has. */
export interface CommonFlags {
  json?: boolean;
  output?: OutputFormat;
}

/** The context of an action, from its command's flags and the program's connection flags. */
export function commandContext(command: Command): CommandContext {
  return { settings: readConnectionSettings(command), output: createOutput({ json: wantsJson(command) }) };
}

/** Adds `<oa> <mp>`: the official account and the mini program. */
export function withPairArguments(command: Command): Command {
  return command.argument('<oa>', "the official account's appid (公众号)").argument('<mp>', "the mini program's appid (小程序)");
}

/** Adds `--unlink`: act on the pair's unlink workflow instead of its link workflow. */
export function withUnlinkFlag(command: Command): Command {
  return command.option('--unlink', "the pair's unlink workflow (wxamp-unlink/…) instead of its link workflow");
}

/**
 * Adds `--json` and `-o, --output <text|json>`, as `kubectl` and `temporal` spell it; `-o json`
 * and `--json` are the same. Commander refuses any other format with a usage error naming `--output`.
 */
export function withJsonFlag(command: Command, what: string): Command {
  return command
    .option('--json', `machine output on stdout: ${what}`)
    .addOption(
      new Option('-o, --output <format>', 'output format: text for people, json as --json').choices(Object.values(OutputFormat)).default(OutputFormat.Text),
    );
}

/** Whether the command writes JSON: `--json` or `-o json`; the two set against each other is a usage error. */
function wantsJson(command: Command): boolean {
  const flags = command.opts<CommonFlags>();
  const json = flags.json === true;
  // Only an -o the user typed can contradict --json; the default `text` cannot.
  if (json && flags.output === OutputFormat.Text && command.getOptionValueSource('output') === 'cli') {
    throw new CliError('--json and --output text contradict each other: give one of them', ExitCode.Usage);
  }
  return json || flags.output === OutputFormat.Json;
}
