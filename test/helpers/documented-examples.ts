/**
 * The examples of workflow input that the documentation shows, read from the Markdown itself so
 * that tests check what readers copy: every `temporal workflow start` and `temporal workflow
 * execute` command of README.md and docs/*.md, and the inputs the README passes to `links.link()`
 * and `links.unlink()`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../local/repo-paths';

/** A `temporal workflow start` (or `execute`) command of the docs, split as a shell splits it. */
export interface DocumentedStart {
  /** The Markdown file, relative to the repository's root. */
  readonly file: string;
  /** Every word after `temporal`. */
  readonly args: readonly string[];
  /** The value of `--type`, `--workflow-id`, … (the last one given). */
  flag(name: string): string | undefined;
  /** `--input`, parsed. */
  readonly input: unknown;
}

/** README.md and every page of docs/, relative to the repository's root. */
export function markdownFiles(): string[] {
  const docs = readdirSync(join(REPO_ROOT, 'docs')).filter((name) => name.endsWith('.md'));
  return ['README.md', ...docs.map((name) => `docs/${name}`)];
}

/** The contents of the fenced code blocks of `file` whose language is one of `languages`. */
function codeBlocks(file: string, languages: readonly string[]): string[] {
  const text = readFileSync(join(REPO_ROOT, file), 'utf8');
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)].filter((match) => languages.includes(match[1] ?? '')).map((match) => match[2] ?? '');
}

/** A command line's words: single-quoted words keep everything inside, as the shell does. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

/** Every `temporal workflow start|execute … --input '…'` command in the shell blocks of `files`. */
export function documentedStarts(files: readonly string[] = markdownFiles()): DocumentedStart[] {
  const starts: DocumentedStart[] = [];
  for (const file of files) {
    for (const block of codeBlocks(file, ['sh', 'bash', 'shell'])) {
      const lines = block.replace(/\\\n\s*/g, ' ').split('\n');
      for (const line of lines) {
        const words = shellWords(line.replace(/\s+#.*$/, ''));
        if (words[0] !== 'temporal' || words[1] !== 'workflow' || (words[2] !== 'start' && words[2] !== 'execute')) continue;
        const args = words.slice(1);
        const flag = (name: string): string | undefined => {
          const at = args.lastIndexOf(`--${name}`);
          return at === -1 ? undefined : args[at + 1];
        };
        const input = flag('input');
        if (input === undefined) continue;
        starts.push({ file, args, flag, input: JSON.parse(input) as unknown });
      }
    }
  }
  return starts;
}

/** A TypeScript object literal of the README's simple kind (keys, strings, numbers, booleans) as JSON. */
function objectLiteralToJson(literal: string): unknown {
  const json = literal
    .replace(/\/\/.*$/gm, '')
    .replace(/'/g, '"')
    .replace(/([{,]\s*)([A-Za-z_]\w*)\s*:/g, '$1"$2":')
    .replace(/,(\s*})/g, '$1');
  return JSON.parse(json) as unknown;
}

/** An input the README passes to the client library. */
export interface DocumentedLibraryInput {
  readonly method: 'link' | 'unlink';
  readonly input: unknown;
}

/** The object literals the README passes to `links.link({ … })` and `links.unlink({ … })`. */
export function readmeLibraryInputs(): DocumentedLibraryInput[] {
  return codeBlocks('README.md', ['ts', 'typescript']).flatMap((block) =>
    [...block.matchAll(/links\.(link|unlink)\((\{[\s\S]*?\})\)/g)].map((match) => ({
      method: match[1] as 'link' | 'unlink',
      input: objectLiteralToJson(match[2] ?? ''),
    })),
  );
}
