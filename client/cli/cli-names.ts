/**
 * What the command line calls each input field. The validators (workflows/validate-input.ts,
 * client/find-links.ts) name fields as the library and the workflows know them
 * (`pollInterval`, `officialAccountAppId`); a person at the terminal typed `--poll-interval` or
 * the `<oa>` argument, and a message should name what they typed and what `--help` shows.
 */
import type { InputValidationError } from '../../workflows/support/validate-input';

/** Input field → the argument or flag that carries it: the one table of these names. */
export const CLI_NAMES: Readonly<Record<string, string>> = {
  officialAccountAppId: '<oa>',
  miniProgramAppId: '<mp>',
  miniProgramUsername: '--username',
  pollInterval: '--poll-interval',
  maxPollInterval: '--max-poll-interval',
  timeout: '--timeout',
  notifyUsers: '--notify-users',
  showProfile: '--show-profile',
  notifyUrl: '--notify-url',
  notifyTransitions: '--notify-transitions',
  status: '--status',
  limit: '--limit',
};

/** `find` takes the appids as flags, not arguments. */
export const FIND_CLI_NAMES: Readonly<Record<string, string>> = { ...CLI_NAMES, officialAccountAppId: '--oa', miniProgramAppId: '--mp' };

// Only whole words that are fields: a problem may name another field ("must not be shorter than pollInterval").
const FIELD_WORDS = new RegExp(`\\b(${Object.keys(CLI_NAMES).join('|')})\\b`, 'g');

/**
 * The message of a validation error in the command line's words: `--poll-interval: must be …`
 * instead of `pollInterval: must be …`. Fields the table does not know keep their own name.
 */
export function cliMessageOf(error: InputValidationError, names: Readonly<Record<string, string>> = CLI_NAMES): string {
  // The validators' messages are `<field>: <problem>` (see fail() in workflows/input-fields.ts).
  const prefix = `${error.field}: `;
  const problem = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return `${names[error.field] ?? error.field}: ${problem.replace(FIELD_WORDS, (field) => names[field] ?? field)}`;
}
