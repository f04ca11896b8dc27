/**
 * Payload encryption end to end, against the dev server: a worker and clients with AES-256-GCM
 * keys run real links. The history as the server keeps it (read by a client without the keys)
 * holds none of the mini program's profile; clients with the keys read results, also after a key
 * rotation; the codec server decodes history payloads as the Web UI asks; the CLI uses the keys.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { StaticTokenProvider, WeChatClient } from '../activities';
import { startCodecServer } from '../client/codec-server';
import { PayloadDecryptionError, PayloadEncryptionCodec } from '../client/payload-codec';
import type { PayloadKey } from '../client/payload-keys';
import { WxampLinkClient } from '../client';
import { findOrInstallTemporalCli } from '../local/temporal-cli';
import { AUTO_CONFIRM_SCRIPT, startWeChatSimulator, type WeChatSimulator } from '../simulator';
import { createLinkWorker } from '../worker/create-worker';
import { watchWorkflowId } from '../workflows/contract';
import { historyText } from './helpers/history-text';
import { FAST } from './helpers/link-harness';
import { TEST_POLICY } from './helpers/test-policy';
import { waitFor } from './helpers/wait';
import { runCli, spawnWorker, type CliRun } from './helpers/worker-process';

const k1: PayloadKey = { id: 'k1', key: randomBytes(32) };
const k2: PayloadKey = { id: 'k2', key: randomBytes(32) };
const asEnv = (...keys: PayloadKey[]) => keys.map(({ id, key }) => `${id}:${key.toString('base64')}`).join(',');
const execFileAsync = promisify(execFile);
const cliMain = join(__dirname, '..', 'dist', 'client', 'cli', 'main.js');

let simulator: WeChatSimulator;
let nativeConnection: NativeConnection;
let connection: Connection;
/** Reads the history as the Temporal server (and anyone without the keys) sees it. */
let plainClient: Client;
const tokens = new Map<string, string>();
const taskQueue = `encrypted-${randomBytes(6).toString('hex')}`;
const stops: Array<() => Promise<void>> = [];

beforeAll(async () => {
  const address = process.env.TEMPORAL_TEST_ADDRESS;
  if (!address || !process.env.WXAMP_TEST_WORKFLOW_BUNDLE) throw new Error('run the tests with `npm test` (or npx jest, which starts the dev server)');
  Runtime.install({ logger: new DefaultLogger('WARN', (entry) => entry.level === 'ERROR' && console.error(entry.message, entry.meta)) });
  simulator = await startWeChatSimulator();
  nativeConnection = await NativeConnection.connect({ address });
  connection = await Connection.connect({ address });
  plainClient = new Client({ connection });
  await startWorker(taskQueue, [k1]);
});

afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  await nativeConnection?.close();
  await connection?.close();
  await simulator?.close();
});

/** A worker on `queue` whose codec has `keys`, the harness's way; resolves with its stop. */
async function startWorker(queue: string, keys: PayloadKey[]): Promise<() => Promise<void>> {
  const worker = await createLinkWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue: queue,
    workflowBundlePath: process.env.WXAMP_TEST_WORKFLOW_BUNDLE ?? '',
    wechat: new WeChatClient({ baseUrl: simulator.baseUrl, timeoutMs: 2_000 }),
    tokens: new StaticTokenProvider({ perAccount: tokens }),
    shutdownGraceMs: 1_000,
    // Polls every 100 ms, as FAST asks: the default floor (5 s) would make each link take 15 s.
    policy: TEST_POLICY,
    dataConverter: { payloadCodecs: [new PayloadEncryptionCodec(keys)] },
    // A stopped worker's cached workflows move to the next worker after this, not after 10 s.
    extra: { stickyQueueScheduleToStartTimeout: '1s' },
  });
  const running = worker.run();
  const stop = async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  };
  stops.push(stop);
  return stop;
}

/** The client library with these keys (none: Temporal's default converter). */
function linksWith(keys: PayloadKey[], queue = taskQueue): WxampLinkClient {
  const client = new Client({ connection, ...(keys.length > 0 && { dataConverter: { payloadCodecs: [new PayloadEncryptionCodec(keys)] } }) });
  return new WxampLinkClient({ client, taskQueue: queue });
}

function newPair(): { oa: string; mp: string } {
  const oa = `wxoa${randomBytes(8).toString('hex')}`;
  tokens.set(oa, simulator.registerAccount({ appId: oa }).accessToken);
  return { oa, mp: `wxmp${randomBytes(8).toString('hex')}` };
}

/** What the simulator's entry shows about the mini program: the strings that must stay off the server. */
function profileOf(oa: string, mp: string): { nickname: string; email: string; headimg_url: string } {
  const item = simulator.entries(oa).find((entry) => entry.appid === mp);
  if (!item) throw new Error(`no entry for ${mp}`);
  return { nickname: item.nickname, email: item.email, headimg_url: item.headimg_url };
}

/** Every payload of a history, by where it is, except search attributes (they are not the codec's). */
const SDK_MARKER_FIELDS = new Set(['patch-data', 'data']);

function payloadsOf(node: unknown, path = ''): Array<{ path: string; payload: Payload }> {
  if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return [];
  if (Array.isArray(node)) return node.flatMap((child, index) => payloadsOf(child, `${path}[${index}]`));
  const record = node as Record<string, unknown>;
  const metadata = record.metadata as Record<string, unknown> | undefined;
  if (metadata && typeof metadata === 'object' && metadata.encoding instanceof Uint8Array) return [{ path, payload: record }];
  return (
    Object.entries(record)
      // The SDK writes its markers' own bookkeeping unencoded: a patch's name, a local activity's
      // id, type and times — nothing of the user's. A local activity's result is encoded.
      .filter(([key]) => key !== 'searchAttributes' && !(path.endsWith('.markerRecordedEventAttributes.details') && SDK_MARKER_FIELDS.has(key)))
      .flatMap(([key, child]) => payloadsOf(child, `${path}.${key}`))
  );
}

const metadataText = (payload: Payload, key: string) => Buffer.from(payload.metadata?.[key] ?? []).toString();

/** The payload of the run's result, as the server keeps it. */
async function rawResultPayload(workflowId: string): Promise<Payload> {
  const history = await plainClient.workflow.getHandle(workflowId).fetchHistory();
  const completed = history.events?.find((event) => event.workflowExecutionCompletedEventAttributes);
  const payload = completed?.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0];
  if (!payload) throw new Error(`${workflowId} has no result yet`);
  return payload;
}

async function linkToTheEnd(links: WxampLinkClient): Promise<{ oa: string; mp: string; workflowId: string }> {
  const { oa, mp } = newPair();
  simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
  const handle = await links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
  expect((await handle.result()).outcome).toBe('linked');
  return { oa, mp, workflowId: handle.workflowId };
}

describe('payload encryption', () => {
  it("a link and a list end while the server keeps none of the mini program's nickname, email or avatar URL", async () => {
    const { oa, mp } = newPair();
    simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
    const links = linksWith([k1]);
    const handle = await links.link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST });
    const result = await handle.result();
    const profile = profileOf(oa, mp);
    expect(result).toMatchObject({ outcome: 'linked', status: 1, nickname: profile.nickname });
    // The list workflow carries every wxamplinkget field, the email and avatar URL among them.
    expect(await links.list(oa)).toEqual([expect.objectContaining({ appid: mp, ...profile })]);

    // The account's watcher handed the nickname to the link: its history is ciphertext too.
    await waitFor(async () => (await plainClient.workflow.getHandle(watchWorkflowId(oa)).describe()).status.name === 'COMPLETED', 'the watcher ends');
    for (const [workflowId, holds] of [
      [handle.workflowId, [profile.nickname]],
      [watchWorkflowId(oa), [profile.nickname]],
      [`wxamp-list/${oa}`, Object.values(profile)],
    ] as const) {
      const history = await plainClient.workflow.getHandle(workflowId).fetchHistory();
      const raw = await historyText(plainClient, workflowId);
      for (const secret of Object.values(profile)) expect(raw).not.toContain(secret);
      // The search is not vacuous: decrypted, the same payloads do hold them.
      const payloads = payloadsOf(history);
      const decrypted = await new PayloadEncryptionCodec([k1]).decode(payloads.map((p) => p.payload));
      const plainText = decrypted.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
      for (const secret of holds) expect(plainText).toContain(secret);
      // Every payload of the history is ciphertext under k1: input, summary, activity results, result.
      expect(payloads.map((p) => p.path)).toEqual(expect.arrayContaining([expect.stringMatching(/workflowExecutionCompletedEventAttributes\.result/)]));
      for (const { path, payload } of payloads) {
        expect([path, metadataText(payload, 'encoding'), metadataText(payload, 'encryption-key-id')]).toEqual([path, 'binary/encrypted', 'k1']);
      }
    }
    // Without the keys a client cannot read the result at all.
    await expect(plainClient.workflow.getHandle(handle.workflowId).result()).rejects.toThrow(/Unknown encoding: binary\/encrypted/);
  });

  it('a client without the key a result was written with fails with an error naming that key', async () => {
    const { oa, mp } = await linkToTheEnd(linksWith([k1]));
    const error = await linksWith([k2])
      .result(oa, mp)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadDecryptionError);
    expect((error as PayloadDecryptionError).keyId).toBe('k1');
    expect((error as Error).message).toMatch(/^cannot decrypt a payload encrypted with key 'k1': WXAMP_PAYLOAD_KEYS does not list it \(it lists k2\)/);
  });

  it('after a rotation (new key first, old key kept) old results still read and a waiting link goes on', async () => {
    const queue = `rotation-${randomBytes(6).toString('hex')}`;
    const stopOld = await startWorker(queue, [k1]);
    const before = await linkToTheEnd(linksWith([k1], queue));
    const waiting = newPair();
    // Slow polls, so that the old worker stops between two workflow tasks rather than inside one
    // (an abandoned task would wait out its 10 s time-out before the new worker got it).
    const slow = { pollInterval: '1m', maxPollInterval: '1m', timeout: '5m' } as const;
    const handle = await linksWith([k1], queue).link({ officialAccountAppId: waiting.oa, miniProgramAppId: waiting.mp, ...slow });
    await waitFor(async () => (await linksWith([k1], queue).getState(waiting.oa, waiting.mp)).phase === 'waiting', 'the invitation sent under the old key');
    await stopOld();

    // The new worker replays a history written with k1 and writes on with k2.
    await startWorker(queue, [k2, k1]);
    const rotated = linksWith([k2, k1], queue);
    simulator.act(waiting.oa, waiting.mp, 'confirm-account');
    simulator.act(waiting.oa, waiting.mp, 'confirm-mini-program');
    await rotated.pollNow(waiting.oa, waiting.mp);
    expect(await rotated.result(waiting.oa, waiting.mp)).toMatchObject({ outcome: 'linked', nickname: profileOf(waiting.oa, waiting.mp).nickname });
    expect(await rotated.result(before.oa, before.mp)).toMatchObject({ outcome: 'linked', nickname: profileOf(before.oa, before.mp).nickname });

    const keyIds = payloadsOf(await plainClient.workflow.getHandle(handle.workflowId).fetchHistory()).map((p) => metadataText(p.payload, 'encryption-key-id'));
    expect(new Set(keyIds)).toEqual(new Set(['k1', 'k2']));
    expect(metadataText(await rawResultPayload(handle.workflowId), 'encryption-key-id')).toBe('k2');
  });

  it('the codec server decodes history payloads the way the Web UI and the Temporal CLI ask for them', async () => {
    const { oa, mp, workflowId } = await linkToTheEnd(linksWith([k1]));
    const server = await startCodecServer({ codec: new PayloadEncryptionCodec([k2, k1]), port: 0 });
    try {
      const raw = await rawResultPayload(workflowId);
      const body = {
        payloads: [
          {
            metadata: Object.fromEntries(Object.entries(raw.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
            data: Buffer.from(raw.data ?? []).toString('base64'),
          },
        ],
      };
      const response = await fetch(`${server.url}/default/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-namespace': 'default', origin: 'http://127.0.0.1:8233' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
      const decoded = (await response.json()) as { payloads: Array<{ metadata: Record<string, string>; data: string }> };
      expect(Buffer.from(decoded.payloads[0]?.metadata.encoding ?? '', 'base64').toString()).toBe('json/plain');
      const result = JSON.parse(Buffer.from(decoded.payloads[0]?.data ?? '', 'base64').toString()) as Record<string, unknown>;
      expect(result).toMatchObject({ outcome: 'linked', nickname: profileOf(oa, mp).nickname });

      // The Temporal CLI speaks the same protocol: `workflow show --codec-endpoint` shows no ciphertext.
      const show = async (...extra: string[]) => {
        const { stdout } = await execFileAsync(await findOrInstallTemporalCli(), [
          'workflow',
          'show',
          '--address',
          process.env.TEMPORAL_TEST_ADDRESS ?? '',
          '-w',
          workflowId,
          '-o',
          'json',
          ...extra,
        ]);
        return stdout.split(Buffer.from('binary/encrypted').toString('base64')).length - 1;
      };
      expect(await show()).toBeGreaterThan(5);
      expect(await show('--codec-endpoint', server.url)).toBe(0);
      expect(await show('--codec-endpoint', `${server.url}/{namespace}`)).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('the worker process (npm run worker) encrypts with the first key of WXAMP_PAYLOAD_KEYS', async () => {
    const { oa, mp } = newPair();
    simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
    const queue = `encrypted-process-${randomBytes(4).toString('hex')}`;
    const worker = await spawnWorker({
      TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS ?? '',
      WXAMP_TASK_QUEUE: queue,
      WECHAT_API_BASE_URL: simulator.baseUrl,
      WECHAT_ACCESS_TOKENS: JSON.stringify({ [oa]: tokens.get(oa) }),
      WXAMP_PAYLOAD_KEYS: asEnv(k2, k1),
    });
    try {
      await worker.ready();
      expect(worker.output()).toContain('wxamp-link worker: payloads encrypted with key k2 (decrypting k2, k1)');
      // A client that still writes with k1 (not rotated yet) is read by the worker, which answers with k2.
      const result = await (await linksWith([k1, k2], queue).link({ officialAccountAppId: oa, miniProgramAppId: mp, ...FAST })).result();
      expect(result).toMatchObject({ outcome: 'linked', nickname: profileOf(oa, mp).nickname });
      expect(metadataText(await rawResultPayload(`wxamp-link/${oa}/${mp}`), 'encryption-key-id')).toBe('k2');
    } finally {
      await worker.stop();
    }
    expect(await worker.exited).toBe(0);
    const output = worker.output();
    expect(output).not.toContain(k1.key.toString('base64'));
    expect(output).not.toContain(k2.key.toString('base64'));
  });

  it('the wxamp CLI links with WXAMP_PAYLOAD_KEYS, and says what to set without it', async () => {
    if (!existsSync(cliMain)) throw new Error(`${cliMain} is missing: run \`npm run build\` first (npm test does it)`);
    const { oa, mp } = newPair();
    simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
    const flags = ['--poll-interval', '100ms', '--max-poll-interval', '400ms', '--timeout', '30s'];
    const linked = await wxamp(['link', oa, mp, ...flags, '--wait', '--json'], { WXAMP_PAYLOAD_KEYS: asEnv(k1) });
    expect(linked.code).toBe(0);
    expect(linked.stdout).toContain('"outcome":"linked"');
    expect(await historyText(plainClient, `wxamp-link/${oa}/${mp}`)).not.toContain(profileOf(oa, mp).email);

    const plain = await wxamp(['status', oa, mp], { WXAMP_PAYLOAD_KEYS: '' });
    expect([plain.code, plain.stderr.trim()]).toEqual([2, "wxamp: the workflow's payloads are encrypted: set WXAMP_PAYLOAD_KEYS to the worker's keys"]);
    const wrong = await wxamp(['status', oa, mp], { WXAMP_PAYLOAD_KEYS: asEnv(k2) });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^wxamp: cannot decrypt a payload encrypted with key 'k1': WXAMP_PAYLOAD_KEYS does not list it/);
    const bad = await wxamp(['status', oa, mp], { WXAMP_PAYLOAD_KEYS: k1.key.toString('base64') });
    expect([bad.code, bad.stderr.trim()]).toEqual([2, expect.stringMatching(/^wxamp: WXAMP_PAYLOAD_KEYS: entry 1 must be keyId:base64key/)]);
    expect(bad.stderr).not.toContain(k1.key.toString('base64'));
  });
});

/** Runs `wxamp` against the test server and this file's task queue. */
function wxamp(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  return runCli(args, { WXAMP_DEBUG: '', TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS ?? '', WXAMP_TASK_QUEUE: taskQueue, ...env });
}
