/**
 * docs/configuration.md's worker table lists every environment variable the worker reads, and
 * nothing it does not read. What the worker reads is found by a static scan: every source file
 * that worker/main.ts reaches through relative imports (so a file that is moved or added is
 * scanned without this test changing), plus `@temporalio/envconfig`, to which the worker hands
 * its environment for the `TEMPORAL_*` connection settings.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const ROOT = join(__dirname, '..', '..');
const WORKER_ENTRY = join(ROOT, 'worker', 'main.ts');
const CONFIGURATION_DOC = join(ROOT, 'docs', 'configuration.md');
const ENVCONFIG_LIB = join(ROOT, 'node_modules', '@temporalio', 'envconfig', 'lib');

/** The project's variable names: `WXAMP_…`, `WECHAT_…`, `TEMPORAL_…`. */
const NAME = String.raw`(?:WXAMP|WECHAT|TEMPORAL)_[A-Z0-9_]*[A-Z0-9]`;
/** A prefix the code matches on (`TEMPORAL_GRPC_META_`, `TEMPORAL_TLS_`). */
const PREFIX = String.raw`(?:WXAMP|WECHAT|TEMPORAL)_[A-Z0-9_]*_`;

/** Every way the code names a variable it reads. */
const READ_PATTERNS: readonly RegExp[] = [
  // process.env.NAME, env.NAME, env?.NAME
  new RegExp(String.raw`\benv\??\.(${NAME})\b`, 'g'),
  // env['NAME'], envProvider["NAME"]
  new RegExp(String.raw`\benv\w*\[\s*['"\`](${NAME})['"\`]\s*\]`, 'g'),
  // text(env, 'NAME'), const VARIABLE = 'NAME', ['NAME', …]: a string that is exactly a name
  new RegExp(String.raw`['"\`](${NAME})['"\`]`, 'g'),
  // a zod schema key: `  NAME: optionalText,`
  new RegExp(String.raw`^\s*(${NAME})\s*:`, 'gm'),
];
const PREFIX_PATTERN = new RegExp(String.raw`['"\`](${PREFIX})['"\`]`, 'g');

/** The .ts files `entry` reaches through relative imports, itself included. */
function sourceClosure(entry: string): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import|require)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const target = resolveSource(dirname(file), match[1] ?? '');
      if (target !== undefined && !seen.has(target)) queue.push(target);
    }
  }
  return [...seen].sort();
}

function resolveSource(fromDir: string, specifier: string): string | undefined {
  const base = resolve(fromDir, specifier);
  return [base, `${base}.ts`, join(base, 'index.ts')].find((candidate) => candidate.endsWith('.ts') && existsSync(candidate));
}

/** The names and prefixes that `texts` read. */
function namesRead(texts: readonly string[]): { names: Set<string>; prefixes: Set<string> } {
  const names = new Set<string>();
  const prefixes = new Set<string>();
  for (const text of texts) {
    for (const pattern of READ_PATTERNS) for (const match of text.matchAll(pattern)) names.add(match[1] ?? '');
    for (const match of text.matchAll(PREFIX_PATTERN)) prefixes.add(match[1] ?? '');
  }
  names.delete('');
  return { names, prefixes };
}

/** The variables named in the first column of the worker's table (`## The worker` up to the next section). */
function documentedWorkerVariables(markdown: string): { names: Set<string>; patterns: string[] } {
  const start = markdown.indexOf('\n## The worker\n');
  if (start < 0) throw new Error('docs/configuration.md has no "## The worker" section');
  const end = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  const names = new Set<string>();
  const patterns: string[] = [];
  for (const line of section.split('\n')) {
    const firstCell = /^\|([^|]*)\|/.exec(line)?.[1];
    if (firstCell === undefined) continue;
    for (const [, token = ''] of firstCell.matchAll(/`([^`]+)`/g)) {
      if (new RegExp(`^${NAME}$`).test(token)) names.add(token);
      // `TEMPORAL_GRPC_META_<NAME>`: a family of variables sharing a prefix.
      else if (new RegExp(`^${PREFIX}<[A-Z]+>$`).test(token)) patterns.push(token.slice(0, token.indexOf('<')));
    }
  }
  return { names, patterns };
}

const workerFiles = sourceClosure(WORKER_ENTRY);
const workerCode = namesRead(workerFiles.map((file) => readFileSync(file, 'utf8')));
const envconfigCode = namesRead(
  readdirSync(ENVCONFIG_LIB)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(ENVCONFIG_LIB, file), 'utf8')),
);
const documented = documentedWorkerVariables(readFileSync(CONFIGURATION_DOC, 'utf8'));

describe("docs/configuration.md's worker table", () => {
  it('the scan sees the worker: its configuration modules and the variables DESIGN fixes', () => {
    const relative = workerFiles.map((file) => file.slice(ROOT.length + 1));
    expect(relative).toEqual(expect.arrayContaining(['worker/main.ts', 'worker/config.ts', 'common/connection/connection-config.ts']));
    for (const name of ['TEMPORAL_ADDRESS', 'WXAMP_TASK_QUEUE', 'WECHAT_TOKEN_URL', 'WXAMP_MIN_POLL_INTERVAL', 'WXAMP_PAYLOAD_KEYS', 'WXAMP_WORKFLOW_BUNDLE']) {
      expect(workerCode.names).toContain(name);
    }
    expect(envconfigCode.names).toContain('TEMPORAL_TLS_CLIENT_CERT_PATH');
  });

  it('lists every variable the worker reads', () => {
    const read = [...workerCode.names, ...envconfigCode.names];
    const missing = [...new Set(read)].filter((name) => !documented.names.has(name)).sort();
    expect(missing).toEqual([]);
  });

  it('lists every family of variables the worker matches by prefix', () => {
    const prefixes = [...workerCode.prefixes, ...envconfigCode.prefixes];
    const documentedTokens = [...documented.names, ...documented.patterns];
    const missing = prefixes.filter((prefix) => !documentedTokens.some((token) => token.startsWith(prefix))).sort();
    expect(missing).toEqual([]);
  });

  it('lists nothing the worker does not read', () => {
    const read = new Set([...workerCode.names, ...envconfigCode.names]);
    const prefixes = [...workerCode.prefixes, ...envconfigCode.prefixes];
    const unread = [...documented.names].filter((name) => !read.has(name)).sort();
    const unreadFamilies = documented.patterns.filter((pattern) => !prefixes.includes(pattern));
    expect(unread).toEqual([]);
    expect(unreadFamilies).toEqual([]);
  });
});
