/**
 * Connection profiles the ecosystem's way (`@temporalio/envconfig`): one TOML file read by a
 * worker process, the CLI and the client library alike. The dev server cannot serve TLS, so a
 * TLS front (test/helpers/tls-proxy.ts, mutual TLS with the test CA) stands before it: the
 * `mtls` profile's client certificate, CA and server name must all be passed for the handshake
 * to succeed. Failures name the setting to fix: the variable, the flag or the profile and file.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectLinkClient } from '../client';
import { findFreePort } from '../local/free-port';
import { AUTO_CONFIRM_SCRIPT, startWeChatSimulator, type WeChatSimulator } from '../simulator';
import { startTlsProxy, TEST_TLS, type TlsProxy } from './helpers/tls-proxy';
import { runCli, spawnWorker, type SpawnedWorker } from './helpers/worker-process';

let simulator: WeChatSimulator;
let proxy: TlsProxy;
let profiles: string;
let closedPort: number;
const taskQueue = `profile-${randomBytes(4).toString('hex')}`;
const home = mkdtempSync(join(tmpdir(), 'wxamp-home-'));
const workers: SpawnedWorker[] = [];

beforeAll(async () => {
  const server = process.env.TEMPORAL_TEST_ADDRESS ?? '';
  simulator = await startWeChatSimulator();
  proxy = await startTlsProxy(server, { requireClientCertificate: true });
  closedPort = await findFreePort();
  const tls = `server_ca_cert_path = "${TEST_TLS.file('ca.pem')}"\nserver_name = "${TEST_TLS.serverName}"`;
  profiles = join(mkdtempSync(join(tmpdir(), 'wxamp-profiles-')), 'temporal.toml');
  writeFileSync(
    profiles,
    [
      `[profile.local]\naddress = "${server}"\nnamespace = "default"`,
      `[profile.mtls]\naddress = "${proxy.address}"\nnamespace = "default"`,
      `[profile.mtls.tls]\nclient_cert_path = "${TEST_TLS.file('client.pem')}"\nclient_key_path = "${TEST_TLS.file('client-key.pem')}"\n${tls}`,
      `[profile.nocert]\naddress = "${proxy.address}"`,
      `[profile.nocert.tls]\n${tls}`,
      `[profile.down]\naddress = "127.0.0.1:${closedPort}"`,
    ].join('\n\n'),
  );
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await proxy?.close();
  await simulator?.close();
});

/** A worker process configured by the profile file (HOME is empty: no other profile is found). */
async function startWorker(env: Record<string, string>, accounts: Record<string, string> = {}): Promise<SpawnedWorker> {
  const worker = await spawnWorker({
    HOME: home,
    TEMPORAL_CONFIG_FILE: profiles,
    WXAMP_TASK_QUEUE: taskQueue,
    WECHAT_API_BASE_URL: simulator.baseUrl,
    WECHAT_ACCESS_TOKENS: JSON.stringify(accounts),
    WXAMP_SHUTDOWN_GRACE: '1s',
    ...env,
  });
  workers.push(worker);
  return worker;
}

/** `wxamp …` with only the profile file to go by. */
const wxamp = (args: string[], env: Record<string, string> = {}) => runCli(args, { HOME: home, WXAMP_TASK_QUEUE: taskQueue, ...env });

describe('envconfig profiles', () => {
  it('a worker configured only by a mutual-TLS profile links; the CLI and the library reach it through profiles', async () => {
    const oa = `wxoa${randomBytes(8).toString('hex')}`;
    const mp = `wxmp${randomBytes(8).toString('hex')}`;
    const token = simulator.registerAccount({ appId: oa }).accessToken;
    simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
    const worker = await startWorker({ TEMPORAL_PROFILE: 'mtls' }, { [oa]: token });
    await worker.ready();
    expect(worker.output()).toContain(`on ${proxy.address} (address of profile 'mtls' in ${profiles}, TLS), namespace default`);

    // The CLI over the same mutual-TLS profile, named by flags this time.
    const linked = await wxamp([
      '--config-file',
      profiles,
      '--profile',
      'mtls',
      'link',
      oa,
      mp,
      '--poll-interval',
      '100ms',
      '--max-poll-interval',
      '400ms',
      '--wait',
      '--json',
    ]);
    expect(linked.stderr).toBe('');
    expect(linked.code).toBe(0);
    expect(
      linked.stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { type?: string; outcome?: string }).outcome)
        .pop(),
    ).toBe('linked');

    // The plain profile, named by TEMPORAL_PROFILE, reaches the same server directly.
    const status = await wxamp(['status', oa, mp, '--json'], { TEMPORAL_CONFIG_FILE: profiles, TEMPORAL_PROFILE: 'local' });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ phase: 'done', outcome: 'linked' });

    // The client library, in this process (grpc-js rather than the worker's Rust core), over mutual TLS.
    const { links, connection } = await connectLinkClient({ configFile: profiles, profile: 'mtls', taskQueue });
    try {
      expect(await links.getState(oa, mp)).toMatchObject({ outcome: 'linked', transitions: [{ status: 12 }, { status: 2 }, { status: 1 }] });
    } finally {
      await connection.close();
    }
    // Every TLS connection presented the profile's client certificate (the proxy refuses others).
    expect(proxy.clients.length).toBeGreaterThanOrEqual(3);
    expect(new Set(proxy.clients)).toEqual(new Set(['wxamp-test-client']));

    expect(await worker.stop()).toBe(0);
  });

  it.each([
    [
      'a profile whose server is down',
      { TEMPORAL_PROFILE: 'down' },
      () => `Cannot reach Temporal at 127.0.0.1:${closedPort} (address of profile 'down' in ${profiles}): `,
    ],
    [
      'TEMPORAL_ADDRESS over the profile',
      { TEMPORAL_PROFILE: 'mtls', TEMPORAL_ADDRESS: 'CLOSED' },
      () => `Cannot reach Temporal at 127.0.0.1:${closedPort} (TEMPORAL_ADDRESS; TLS from tls of profile 'mtls' in ${profiles}): `,
    ],
    [
      'a TLS profile without the client certificate the server wants',
      { TEMPORAL_PROFILE: 'nocert' },
      () => `Cannot reach Temporal at ${proxy.address} (address of profile 'nocert' in ${profiles}; TLS from tls of profile 'nocert' in ${profiles}): `,
    ],
    ['a profile that is not in the file', { TEMPORAL_PROFILE: 'staging' }, () => `TEMPORAL_PROFILE: no profile 'staging' in ${profiles}`],
  ])('the worker stops with one line naming the setting: %s', async (_what, env: Record<string, string>, message) => {
    const worker = await startWorker({ ...env, ...(env.TEMPORAL_ADDRESS && { TEMPORAL_ADDRESS: `127.0.0.1:${closedPort}` }) }, { wx1: 'x'.repeat(30) });
    expect(await worker.exited).toBe(1);
    const lines = worker.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.startsWith(`wxamp-link worker: ${message()}`)).toBe(true);
  });

  it('the CLI names the profile when its server cannot be reached, and refuses an unknown profile', async () => {
    const down = await wxamp(['status', 'wx1111111111111111', 'wx2222222222222222', '--config-file', profiles, '--profile', 'down']);
    expect(down.code).toBe(9);
    expect(down.stderr).toBe(
      `wxamp: cannot reach Temporal at 127.0.0.1:${closedPort} (address of profile 'down' in ${profiles}) — start it (npm start) or set TEMPORAL_ADDRESS / --address / --profile\n`,
    );
    const unknown = await wxamp(['status', 'wx1111111111111111', 'wx2222222222222222', '--profile', 'staging'], { TEMPORAL_CONFIG_FILE: profiles });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`wxamp: --profile: no profile 'staging' in ${profiles}\n`);
  });
});
