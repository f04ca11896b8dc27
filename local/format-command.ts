/**
 * Formats a command line for an error message so that it can be pasted into a POSIX shell:
 * arguments with spaces or shell characters are single-quoted.
 */
export function formatCommand(command: string, args: readonly string[]): string {
  return [command, ...args].map(shellQuote).join(' ');
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
