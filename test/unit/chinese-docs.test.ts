/**
 * README.zh-CN.md is the Chinese edition of README.md, with digests of docs/configuration.md and
 * docs/deployment.md. Its prose is written for Chinese readers and does not follow the English
 * sentence by sentence, but what a reader types must be the same in both: the environment
 * variables, the `npm` commands and the `wxamp` commands. Whoever adds one to a document and
 * forgets the other edition is stopped here, with the names that are missing, so neither edition
 * drifts unnoticed. Both READMEs are also held to the code: every `npm run` script they name is
 * in package.json, and every `wxamp` command they name is a command of the CLI.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Command } from 'commander';
import { createProgram } from '../../client/cli/program';

const ROOT = join(__dirname, '..', '..');
const read = (...path: string[]): string => readFileSync(join(ROOT, ...path), 'utf8');

const README = read('README.md');
const README_ZH = read('README.zh-CN.md');
const CONFIGURATION = read('docs', 'configuration.md');
/** The English documentation: README.md and every page in docs/. */
const ENGLISH_DOCS = [
  README,
  ...readdirSync(join(ROOT, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => read('docs', file)),
];
const SCRIPTS = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);

/**
 * The project's own variables: `WXAMP_…`, `WECHAT_…`, `TEMPORAL_…`. A family written with a
 * placeholder (`TEMPORAL_GRPC_META_<NAME>`, `WXAMP_ACCOUNT_REFUSAL_*`) counts by its stem.
 */
const PROJECT_VARIABLE = /\b(?:WXAMP|WECHAT|TEMPORAL)_[A-Z0-9_]*[A-Z0-9]/g;

/**
 * The other variables docs/configuration.md lists (`GOPROXY`, `NO_COLOR`, `CHROMIUM_PATH`): names
 * in the first column of its `| variable |` tables that {@link PROJECT_VARIABLE} does not catch.
 */
function otherListedVariables(markdown: string): string[] {
  const projectVariable = new RegExp(`^${PROJECT_VARIABLE.source}$`);
  const names = new Set<string>();
  let inVariableTable = false;
  for (const line of markdown.split('\n')) {
    const firstCell = /^\|([^|]*)\|/.exec(line)?.[1]?.trim();
    if (firstCell === undefined) inVariableTable = false;
    else if (firstCell === 'variable') inVariableTable = true;
    else if (inVariableTable) {
      for (const [, token = ''] of firstCell.matchAll(/`([^`]+)`/g)) {
        if (/^[A-Z][A-Z0-9_]*$/.test(token) && !projectVariable.test(token)) names.add(token);
      }
    }
  }
  return [...names].sort();
}

const OTHER_VARIABLES = otherListedVariables(CONFIGURATION);

/** The environment variables `markdown` names. */
function variablesIn(markdown: string): Set<string> {
  const names = new Set([...markdown.matchAll(PROJECT_VARIABLE)].map(([name]) => name));
  for (const name of OTHER_VARIABLES) if (new RegExp(`\\b${name}\\b`).test(markdown)) names.add(name);
  return names;
}

/** `npm start`, `npm test`, `npm run <script>`; a script name ends with a letter or digit (`npm run bench: …` is `bench`). */
const NPM_COMMAND = /\bnpm (?:start|test|run [a-z](?:[a-z0-9:-]*[a-z0-9])?)\b/g;

/** The `npm` commands `markdown` names. */
function npmCommandsIn(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(NPM_COMMAND)].map(([command]) => command));
}

/** The commands of the `wxamp` CLI as a person types them: `link`, `poll-now`, `campaign`, `campaign start`, … */
function cliCommands(program: Command): Set<string> {
  const paths = new Set<string>();
  for (const command of program.commands) {
    paths.add(command.name());
    for (const subcommand of command.commands) paths.add(`${command.name()} ${subcommand.name()}`);
  }
  return paths;
}

const CLI_COMMANDS = cliCommands(createProgram());

/** `wxamp` and the one or two words after it: `wxamp status wx…`, `wxamp campaign start --pairs …`. */
const WXAMP_COMMAND = /\bwxamp ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?/g;

/**
 * The `wxamp` commands `markdown` names: a subcommand with its group (`campaign start` and
 * `campaign`). A word after `wxamp` that is no command of the CLI is kept as it is, so that the
 * checks below name it.
 */
function wxampCommandsIn(markdown: string): Set<string> {
  const named = new Set<string>();
  for (const [, first = '', second] of markdown.matchAll(WXAMP_COMMAND)) {
    named.add(first);
    if (second !== undefined && CLI_COMMANDS.has(`${first} ${second}`)) named.add(`${first} ${second}`);
  }
  return named;
}

/** The names in `names` that `known` lacks, sorted. */
function missingFrom(known: ReadonlySet<string>, ...names: ReadonlySet<string>[]): string[] {
  return [...new Set(names.flatMap((set) => [...set]))].filter((name) => !known.has(name)).sort();
}

const union = (sets: ReadonlySet<string>[]): Set<string> => new Set(sets.flatMap((set) => [...set]));

describe('README.zh-CN.md and the English docs', () => {
  it('the scan finds the variables, npm commands and wxamp commands of the English docs', () => {
    expect([...variablesIn(CONFIGURATION)]).toEqual(
      expect.arrayContaining(['TEMPORAL_ADDRESS', 'TEMPORAL_GRPC_META', 'WECHAT_TOKEN_URL', 'WXAMP_TASK_QUEUE', 'GOPROXY', 'NO_COLOR', 'CHROMIUM_PATH']),
    );
    expect([...npmCommandsIn(README)]).toEqual(
      expect.arrayContaining(['npm start', 'npm test', 'npm run build', 'npm run test:e2e', 'npm run bench:campaign']),
    );
    expect([...CLI_COMMANDS]).toEqual(expect.arrayContaining(['link', 'poll-now', 'find', 'campaign', 'campaign start']));
    expect([...wxampCommandsIn(README)]).toEqual(expect.arrayContaining(['link', 'poll-now', 'find', 'campaign start']));
  });

  describe('environment variables', () => {
    it('the Chinese README names every variable of docs/configuration.md and README.md', () => {
      expect(missingFrom(variablesIn(README_ZH), variablesIn(CONFIGURATION), variablesIn(README))).toEqual([]);
    });

    it('the Chinese README names no variable that README.md and docs/ do not', () => {
      expect(missingFrom(union(ENGLISH_DOCS.map(variablesIn)), variablesIn(README_ZH))).toEqual([]);
    });
  });

  describe('npm commands', () => {
    it('the Chinese README names every npm start, npm test and npm run command of README.md', () => {
      expect(missingFrom(npmCommandsIn(README_ZH), npmCommandsIn(README))).toEqual([]);
    });

    it('the Chinese README names no npm command that README.md does not', () => {
      expect(missingFrom(npmCommandsIn(README), npmCommandsIn(README_ZH))).toEqual([]);
    });

    it('every npm command either README names is a script of package.json', () => {
      const scripts = new Set(SCRIPTS.map((script) => (script === 'start' || script === 'test' ? `npm ${script}` : `npm run ${script}`)));
      expect(missingFrom(scripts, npmCommandsIn(README), npmCommandsIn(README_ZH))).toEqual([]);
    });
  });

  describe('wxamp commands', () => {
    it('the Chinese README names every wxamp command of README.md', () => {
      expect(missingFrom(wxampCommandsIn(README_ZH), wxampCommandsIn(README))).toEqual([]);
    });

    it('the Chinese README names no wxamp command that README.md and docs/ do not', () => {
      expect(missingFrom(union(ENGLISH_DOCS.map(wxampCommandsIn)), wxampCommandsIn(README_ZH))).toEqual([]);
    });

    it('every wxamp command either README names is a command of the CLI', () => {
      expect(missingFrom(CLI_COMMANDS, wxampCommandsIn(README), wxampCommandsIn(README_ZH))).toEqual([]);
    });
  });
});
