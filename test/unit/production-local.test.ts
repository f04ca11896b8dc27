/**
 * The pure parts of the production-local stack: the guide's commands as it runs them, the
 * server's configuration, the server's log lines as a person reads them, and the suite's choice of
 * server. The stack itself runs in the reliability suite (`npm run test:reliability -- --server
 * production-local`), which `.ci/run` runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { namespaceOfCommands, namespaceSetupCommands } from '../../local/production-local/deployment-commands';
import { productionLocalServerConfig } from '../../local/production-local/server-config';
import { briefServerLine } from '../../local/production-local/temporal-server-process';
import { splitServerOption } from '../../local/test-server-option';
import { WXAMP_SEARCH_ATTRIBUTES } from '../../local/search-attributes';

const GUIDE = readFileSync(join(__dirname, '..', '..', 'docs', 'deployment.md'), 'utf8');

describe("docs/deployment.md's namespace commands, as the stack runs them", () => {
  const commands = namespaceSetupCommands(GUIDE);

  it('creates the namespace, then registers every search attribute the workflows set, as Keyword, in that namespace', () => {
    expect(commands[0]?.slice(0, 3)).toEqual(['operator', 'namespace', 'create']);
    const create = commands.find((words) => words.slice(0, 3).join(' ') === 'operator search-attribute create') ?? [];
    const registered = Object.fromEntries(create.flatMap((word, i) => (word === '--name' ? [[create[i + 1] as string, create[i + 3] as string]] : [])));
    expect(registered).toEqual(WXAMP_SEARCH_ATTRIBUTES);
    expect(namespaceOfCommands(commands)).toBe('wxamp');
    expect(commands.every((words) => words[words.indexOf('--namespace') + 1] === 'wxamp')).toBe(true);
  });

  it('joins continuation lines and drops comments', () => {
    const guide = '## 1. The namespace and its search attributes\n\n```sh\ntemporal a \\\n  --b c   # why\n# alone\ntemporal d\n```\n\n## 2. Next\n';
    expect(namespaceSetupCommands(guide)).toEqual([['a', '--b', 'c'], ['d']]);
  });

  it('refuses a block that runs something other than temporal, naming it', () => {
    const guide = '## 1. The namespace and its search attributes\n\n```sh\ncurl http://x\n```\n';
    expect(() => namespaceSetupCommands(guide)).toThrow('runs `curl http://x`, not a temporal command');
  });
});

describe("the production-local server's configuration", () => {
  const ports = {
    frontend: 40001,
    frontendHttp: 40002,
    history: 40003,
    matching: 40004,
    worker: 40005,
    frontendMembership: 20001,
    historyMembership: 20002,
    matchingMembership: 20003,
    workerMembership: 20004,
  };
  const config = productionLocalServerConfig({
    ports,
    postgresPort: 5544,
    databaseUser: 'temporal',
    database: 'temporal',
    visibilityDatabase: 'temporal_visibility',
    dynamicConfigPath: '/run/dc.yaml',
    historyShards: 4,
  }) as {
    persistence: { datastores: Record<string, { sql: { pluginName: string; connectAddr: string; databaseName: string } }>; visibilityStore: string };
    clusterMetadata: { clusterInformation: { active: { rpcAddress: string } } };
    services: Record<string, { rpc: { grpcPort: number; membershipPort: number } }>;
  };

  it('keeps histories and visibility in PostgreSQL, on the run’s own cluster', () => {
    const stores = Object.values(config.persistence.datastores).map((store) => store.sql);
    expect(stores.map((sql) => sql.pluginName)).toEqual(['postgres12', 'postgres12']);
    expect(stores.map((sql) => sql.connectAddr)).toEqual(['127.0.0.1:5544', '127.0.0.1:5544']);
    expect(stores.map((sql) => sql.databaseName)).toEqual(['temporal', 'temporal_visibility']);
    expect(config.persistence.visibilityStore).toBe('postgres-visibility');
  });

  it('names the frontend it serves as the cluster’s address, and binds every service to its own ports', () => {
    expect(config.clusterMetadata.clusterInformation.active.rpcAddress).toBe('127.0.0.1:40001');
    expect(Object.values(config.services).map((service) => service.rpc.grpcPort)).toEqual([40001, 40003, 40004, 40005]);
    // PostgreSQL stores membership ports in a smallint.
    expect(Object.values(config.services).every((service) => service.rpc.membershipPort < 32_768)).toBe(true);
  });
});

describe("the server's log lines", () => {
  it('keep level, message and error of a JSON line, without its stack trace', () => {
    const line = JSON.stringify({ level: 'fatal', msg: 'unable to start', error: 'pq: connection refused', stacktrace: 'a\nb\nc' });
    expect(briefServerLine(line)).toBe('fatal unable to start: pq: connection refused');
  });

  it('leave other lines alone', () => {
    expect(briefServerLine('2026/11/30 07:20:26 Loading config')).toBe('2026/11/30 07:20:26 Loading config');
  });
});

describe('the reliability suite’s server', () => {
  it('is the dev server unless --server or WXAMP_TEST_SERVER says otherwise; --server wins, and the rest goes to jest', () => {
    expect(splitServerOption(['-t', 'crash'], undefined)).toEqual({ server: 'dev', jestArgs: ['-t', 'crash'] });
    expect(splitServerOption([], 'production-local').server).toBe('production-local');
    expect(splitServerOption(['--server', 'dev', 'x'], 'production-local')).toEqual({ server: 'dev', jestArgs: ['x'] });
    expect(splitServerOption(['--server=production-local'], undefined).server).toBe('production-local');
  });

  it('refuses an unknown server, naming where it came from', () => {
    expect(() => splitServerOption(['--server', 'postgres'], undefined)).toThrow('--server: expected dev or production-local, got "postgres"');
    expect(() => splitServerOption([], 'cloud')).toThrow('WXAMP_TEST_SERVER: expected dev or production-local, got "cloud"');
  });
});
