/** The AES-256-GCM payload codec: what an encrypted payload looks like, rotation, and the errors that name the key. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { PayloadDecryptionError, PayloadEncryptionCodec } from '../../client/payload-codec';
import type { PayloadKey } from '../../client/payload-keys';

const k1: PayloadKey = { id: 'k1', key: randomBytes(32) };
const k2: PayloadKey = { id: 'k2', key: randomBytes(32) };
const value = { nickname: '秘密小程序', email: 'admin@example.com' };
const text = (payload: Payload) => `${JSON.stringify(payload.metadata)} ${Buffer.from(payload.data ?? []).toString('utf8')}`;

async function decodeError(codec: PayloadEncryptionCodec, payload: Payload): Promise<PayloadDecryptionError> {
  const error = await codec.decode([payload]).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PayloadDecryptionError);
  return error as PayloadDecryptionError;
}

describe('PayloadEncryptionCodec', () => {
  it('encrypts the whole payload with the first key and names it in the metadata', async () => {
    const plain = defaultPayloadConverter.toPayload(value);
    const [encrypted] = await new PayloadEncryptionCodec([k2, k1]).encode([plain]);
    if (!encrypted) throw new Error('no payload');
    expect(Buffer.from(encrypted.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
    expect(Buffer.from(encrypted.metadata?.['encryption-key-id'] ?? []).toString()).toBe('k2');
    expect(Object.keys(encrypted.metadata ?? {})).toEqual(['encoding', 'encryption-key-id']);
    expect(text(encrypted)).not.toContain('秘密小程序');
    expect(text(encrypted)).not.toContain('json/plain');
    const [decoded] = await new PayloadEncryptionCodec([k2, k1]).decode([encrypted]);
    expect(defaultPayloadConverter.fromPayload(decoded as Payload)).toEqual(value);
  });

  it('uses a fresh nonce for every payload', async () => {
    const plain = defaultPayloadConverter.toPayload(value);
    const [a, b] = await new PayloadEncryptionCodec([k1]).encode([plain, plain]);
    expect(Buffer.from(a?.data ?? []).equals(Buffer.from(b?.data ?? []))).toBe(false);
  });

  it('after a rotation (new key first, old key kept) still reads what the old key wrote', async () => {
    const [old] = await new PayloadEncryptionCodec([k1]).encode([defaultPayloadConverter.toPayload(value)]);
    const rotated = new PayloadEncryptionCodec([k2, k1]);
    const [decoded] = await rotated.decode([old as Payload]);
    expect(defaultPayloadConverter.fromPayload(decoded as Payload)).toEqual(value);
    const [fresh] = await rotated.encode([defaultPayloadConverter.toPayload(value)]);
    expect(Buffer.from(fresh?.metadata?.['encryption-key-id'] ?? []).toString()).toBe('k2');
  });

  it('passes payloads that are not encrypted through decode', async () => {
    const plain = defaultPayloadConverter.toPayload(value);
    expect(await new PayloadEncryptionCodec([k1]).decode([plain])).toEqual([plain]);
  });

  it('fails with an error naming the key id when the key is not listed', async () => {
    const [old] = await new PayloadEncryptionCodec([k1]).encode([defaultPayloadConverter.toPayload(value)]);
    const error = await decodeError(new PayloadEncryptionCodec([k2]), old as Payload);
    expect(error.keyId).toBe('k1');
    expect(error.message).toMatch(/^cannot decrypt a payload encrypted with key 'k1': WXAMP_PAYLOAD_KEYS does not list it \(it lists k2\)/);
    expect(error.message).not.toContain(k2.key.toString('base64'));
  });

  it('fails clearly on a wrong key under the same id, and on altered data', async () => {
    const [encrypted] = await new PayloadEncryptionCodec([k1]).encode([defaultPayloadConverter.toPayload(value)]);
    if (!encrypted?.data) throw new Error('no payload');
    const wrongKey = await decodeError(new PayloadEncryptionCodec([{ id: 'k1', key: k2.key }]), encrypted);
    expect(wrongKey.message).toMatch(
      /^cannot decrypt a payload with key 'k1': the key in WXAMP_PAYLOAD_KEYS is not the one that encrypted it, or the payload was altered$/,
    );
    const altered = Buffer.from(encrypted.data);
    altered[20] = (altered[20] ?? 0) ^ 1;
    await decodeError(new PayloadEncryptionCodec([k1]), { ...encrypted, data: altered });
    const noId = { metadata: { encoding: Buffer.from('binary/encrypted') }, data: encrypted.data };
    expect((await decodeError(new PayloadEncryptionCodec([k1]), noId)).message).toMatch(/no 'encryption-key-id' metadata/);
  });
});
