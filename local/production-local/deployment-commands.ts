/**
 * The commands of docs/deployment.md's first section (the namespace and its search attributes),
 * read from the guide itself: the production-local stack runs them as they are written, so that a
 * guide that drifts from what works fails there, not in someone's cluster.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '../repo-paths';

/** The guide whose commands are run. */
export const DEPLOYMENT_GUIDE = join(REPO_ROOT, 'docs', 'deployment.md');

/** The section whose first `sh` block holds the commands. */
const SECTION_HEADING = '## 1. The namespace and its search attributes';

/**
 * The `temporal …` commands of the first ```sh block of the guide's section 1, as argument lists
 * without the leading `temporal`: continuation lines joined, comments dropped.
 *
 * @throws Error when the section, its block, or a command in it is missing or is not `temporal …`
 */
export function namespaceSetupCommands(guide: string): string[][] {
  const section = guide.split(SECTION_HEADING)[1]?.split(/\n## /)[0];
  if (section === undefined) throw new Error(`docs/deployment.md has no section "${SECTION_HEADING}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error(`docs/deployment.md's "${SECTION_HEADING}" has no sh block`);
  const commands = block
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '')
    .map((line) => line.split(/\s+/));
  if (commands.length === 0) throw new Error(`docs/deployment.md's "${SECTION_HEADING}" sh block is empty`);
  return commands.map((words) => {
    if (words[0] !== 'temporal') throw new Error(`docs/deployment.md's "${SECTION_HEADING}" block runs \`${words.join(' ')}\`, not a temporal command`);
    return words.slice(1);
  });
}

/** {@link namespaceSetupCommands} of the guide in this checkout. */
export async function readNamespaceSetupCommands(): Promise<string[][]> {
  return namespaceSetupCommands(await readFile(DEPLOYMENT_GUIDE, 'utf8'));
}

/** The namespace the guide's commands set up: the value of their first `--namespace`. */
export function namespaceOfCommands(commands: readonly (readonly string[])[]): string {
  for (const words of commands) {
    const at = words.indexOf('--namespace');
    if (at >= 0 && words[at + 1] !== undefined) return words[at + 1] as string;
  }
  throw new Error("docs/deployment.md's namespace commands name no --namespace");
}
