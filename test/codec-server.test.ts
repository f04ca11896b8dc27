/**
 * The codec endpoint the Web UI calls (`npm run codec-server`): Temporal's remote codec JSON,
 * round trips, CORS for the Web UI's origins only, clear answers to bad requests, and the
 * process configured by its environment variables.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defaultPayloadConverter } from '@temporalio/common';
import { codecServerOptionsFromEnv, startCodecServer, type CodecServer } from '../client/codec-server';
import { PayloadEncryptionCodec } from '../client/payload-codec';
import { findFreePort } from '../local/free-port';
import { waitFor } from './helpers/wait';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const codecMain = join(__dirname, '..', 'dist', 'client', 'codec-server.js');
const UI = 'http://localhost:8233';
const KEYS = { WXAMP_PAYLOAD_KEYS: `k1:${k1.key.toString('base64')}` };

interface JsonPayload {
  metadata: Record<string, string>;
  data?: string;
}
const b64 = (text: string) => Buffer.from(text).toString('base64');
const unb64 = (text: string | undefined) => Buffer.from(text ?? '', 'base64').toString();
const plainPayload = (value: unknown): JsonPayload => {
  const payload = defaultPayloadConverter.toPayload(value);
  return { metadata: { encoding: b64('json/plain') }, data: Buffer.from(payload.data ?? []).toString('base64') };
};

let server: CodecServer;
beforeAll(async () => {
  server = await startCodecServer({ codec: new PayloadEncryptionCodec([k1]), port: 0, log: () => undefined });
});
afterAll(async () => {
  await server?.close();
});

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function payloadsOf(response: Response): Promise<JsonPayload[]> {
  expect(response.status).toBe(200);
  return ((await response.json()) as { payloads: JsonPayload[] }).payloads;
}

describe('the codec server', () => {
  it('encodes to binary/encrypted under the first key and decodes back, with or without a namespace segment', async () => {
    const value = { nickname: '秘密小程序', email: 'admin@example.com' };
    const encoded = await payloadsOf(await post('/encode', { payloads: [plainPayload(value)] }));
    expect(encoded).toHaveLength(1);
    expect(unb64(encoded[0]?.metadata.encoding)).toBe('binary/encrypted');
    expect(unb64(encoded[0]?.metadata['encryption-key-id'])).toBe('k1');
    expect(unb64(encoded[0]?.data)).not.toContain('admin@example.com');

    // '//decode' is what `temporal --codec-endpoint 'http://…/{namespace}'` asks for without --namespace.
    for (const path of ['/decode', '/default/decode', '/default/decode/', '//decode', '/decode?x=1']) {
      const decoded = await payloadsOf(await post(path, { payloads: encoded }));
      expect(unb64(decoded[0]?.metadata.encoding)).toBe('json/plain');
      expect(JSON.parse(unb64(decoded[0]?.data))).toEqual(value);
    }
    expect(await payloadsOf(await post('/decode', { payloads: [] }))).toEqual([]);
  });

  it("answers the Web UI's CORS preflight and echoes only its own origins", async () => {
    for (const origin of [UI, 'http://127.0.0.1:8233']) {
      const preflight = await fetch(`${server.url}/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace,authorization' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
      expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
      expect(preflight.headers.get('access-control-allow-headers')?.split(/,\s*/)).toEqual(
        expect.arrayContaining(['content-type', 'x-namespace', 'authorization']),
      );
      expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
      expect(preflight.headers.get('vary')).toBe('Origin');
    }
    const decode = await post('/decode', { payloads: [] }, { origin: UI });
    expect(decode.headers.get('access-control-allow-origin')).toBe(UI);

    const foreign = await fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const foreignPost = await post('/decode', { payloads: [] }, { origin: 'https://evil.example' });
    expect([foreignPost.status, await foreignPost.json()]).toEqual([
      403,
      { error: 'origin https://evil.example is not allowed: add it to WXAMP_CODEC_CORS_ORIGINS' },
    ]);
  });

  it('says what is wrong with a request: unknown path, wrong method, bad body, a key it lacks', async () => {
    expect((await post('/encrypt', { payloads: [] })).status).toBe(404);
    const get = await fetch(`${server.url}/decode`);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST, OPTIONS']);
    for (const body of ['not json', { payload: [] }, { payloads: [{ metadata: { encoding: 'not base64!' } }] }]) {
      const response = await post('/decode', body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/^the body must be \{"payloads"/);
    }
    const [foreign] = await new PayloadEncryptionCodec([k2]).encode([defaultPayloadConverter.toPayload('x')]);
    const body = {
      payloads: [
        { metadata: { encoding: b64('binary/encrypted'), 'encryption-key-id': b64('k2') }, data: Buffer.from(foreign?.data ?? []).toString('base64') },
      ],
    };
    const missing = await post('/decode', body);
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { error: string }).error).toMatch(
      /^cannot decrypt a payload encrypted with key 'k2': WXAMP_PAYLOAD_KEYS does not list it \(it lists k1\)/,
    );
  });

  it.each([
    ['no keys', {}, /^WXAMP_PAYLOAD_KEYS is not set/],
    ['a key without its id', { WXAMP_PAYLOAD_KEYS: k1.key.toString('base64') }, /^WXAMP_PAYLOAD_KEYS: entry 1 must be keyId:base64key/],
    ['port 70000', { ...KEYS, WXAMP_CODEC_PORT: '70000' }, /^WXAMP_CODEC_PORT: must be a port number/],
    [
      'an origin with a path',
      { ...KEYS, WXAMP_CODEC_CORS_ORIGINS: 'http://ui.example/temporal' },
      /^WXAMP_CODEC_CORS_ORIGINS: entry 1 must be a Web UI origin/,
    ],
    ["the origin '*'", { ...KEYS, WXAMP_CODEC_CORS_ORIGINS: `${UI},*` }, /^WXAMP_CODEC_CORS_ORIGINS: entry 2 must be a Web UI origin/],
  ])('refuses %s, naming the variable', (_what, env, message) => {
    expect(() => codecServerOptionsFromEnv(env)).toThrow(message);
  });

  it('reads its defaults and its settings from the environment', () => {
    const keys = `k2:${k2.key.toString('base64')},k1:${k1.key.toString('base64')}`;
    expect(codecServerOptionsFromEnv({ WXAMP_PAYLOAD_KEYS: keys })).toMatchObject({
      port: 8888,
      host: '127.0.0.1',
      corsOrigins: ['http://localhost:8233', 'http://127.0.0.1:8233'],
      codec: { encryptionKeyId: 'k2', keyIds: ['k2', 'k1'] },
    });
    const options = codecServerOptionsFromEnv({
      WXAMP_PAYLOAD_KEYS: keys,
      WXAMP_CODEC_PORT: '9999',
      WXAMP_CODEC_HOST: '0.0.0.0',
      WXAMP_CODEC_CORS_ORIGINS: 'https://temporal.example.com/, http://localhost:8080',
    });
    expect(options).toMatchObject({ port: 9999, host: '0.0.0.0', corsOrigins: ['https://temporal.example.com', 'http://localhost:8080'] });
  });
});

describe('npm run codec-server', () => {
  const children = new Set<ChildProcess>();
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  function start(env: Record<string, string>): { output: () => string; exited: Promise<number | null>; child: ChildProcess } {
    if (!existsSync(codecMain)) throw new Error(`${codecMain} is missing: run \`npm run build\` first (npm test does it)`);
    const child = spawn(process.execPath, [codecMain], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => (children.delete(child), resolve(code))));
    return { output: () => output, exited, child };
  }

  it('serves the port and Web UI origin it is given, and stops on SIGTERM', async () => {
    const port = await findFreePort();
    const run = start({
      WXAMP_PAYLOAD_KEYS: `k1:${k1.key.toString('base64')}`,
      WXAMP_CODEC_PORT: String(port),
      WXAMP_CODEC_CORS_ORIGINS: 'http://ui.example:8080',
    });
    // The address line and the hint that follows it may arrive in two reads: wait for the hint.
    await waitFor(() => run.output().includes(`--ui-codec-endpoint http://127.0.0.1:${port}`), 'the codec server to listen and print its hint');
    expect(run.output()).toContain('wxamp codec server: http://127.0.0.1');
    expect(run.output()).not.toContain(k1.key.toString('base64'));
    const preflight = (origin: string) =>
      fetch(`http://127.0.0.1:${port}/decode`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    expect((await preflight('http://ui.example:8080')).status).toBe(204);
    expect((await preflight(UI)).status).toBe(403);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('refuses bad keys with one line that names the variable and quotes no key', async () => {
    const key = k1.key.toString('base64');
    const run = start({ WXAMP_PAYLOAD_KEYS: key });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toMatch(/^wxamp codec server: WXAMP_PAYLOAD_KEYS: entry 1 must be keyId:base64key[^\n]*$/);
    expect(run.output()).not.toContain(key);
  });
});
