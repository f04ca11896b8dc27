/** What the commands share: the pair arguments, `--json`, `--unlink`, and the context an action runs in. */
import type { Command } from 'commander';
import { readConnectionSettings, type ConnectionSettings } from '../connection-options';
import { createOutput, type Output } from '../output';

/** Every action gets these: where to connect, and where to write. */
export interface CommandContext {
  settings: ConnectionSettings;
  output: Output;
}

/** Flags every command has. */
export interface CommonFlags {
  json?: boolean;
}

/** The context of an action, from its command's flags and the program's connection flags. */
export function commandContext(command: Command): CommandContext {
  const flags = command.opts<CommonFlags>();
  return { settings: readConnectionSettings(command), output: createOutput({ json: flags.json === true }) };
}

/** Adds `<oa> <mp>`: the official account and the mini program. */
export function withPairArguments(command: Command): Command {
  return command
    .argument('<oa>', "the official account's appid (公众号)")
    .argument('<mp>', "the mini program's appid (小程序)");
}

/** Adds `--unlink`: act on the pair's unlink workflow instead of its link workflow. */
export function withUnlinkFlag(command: Command): Command {
  return command.option('--unlink', "the pair's unlink workflow (wxamp-unlink/…) instead of its link workflow");
}

/** Adds `--json`. */
export function withJsonFlag(command: Command, what: string): Command {
  return command.option('--json', `machine output on stdout: ${what}`);
}
