/** WXAMP_PAYLOAD_KEYS: both shapes read in order, and every bad value refused by name without quoting a key. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { dataConverterFromEnv, PayloadEncryptionCodec } from '../../client/payload-codec';
import { parsePayloadKeys, PayloadKeysError, payloadKeysFromEnv } from '../../client/payload-keys';
import { ConfigError, loadWorkerConfig } from '../../worker/config';

const K1 = randomBytes(32).toString('base64');
const K2 = randomBytes(32).toString('base64');

function keysError(text: string): string {
  try {
    parsePayloadKeys(text);
  } catch (error) {
    expect(error).toBeInstanceOf(PayloadKeysError);
    return (error as Error).message;
  }
  throw new Error('expected a PayloadKeysError');
}

describe('WXAMP_PAYLOAD_KEYS', () => {
  it('reads a comma list in order, the first key encrypting', () => {
    const keys = parsePayloadKeys(` k2:${K2} ,\n k1:${K1} `);
    expect(keys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(keys[0]?.key).toEqual(Buffer.from(K2, 'base64'));
    expect(new PayloadEncryptionCodec(keys).encryptionKeyId).toBe('k2');
  });

  it('reads a JSON object in order, and base64url keys', () => {
    const url = Buffer.from(K1, 'base64').toString('base64url');
    const keys = parsePayloadKeys(JSON.stringify({ 'key-2025.06': K2, key_2024: url }));
    expect(keys.map((k) => k.id)).toEqual(['key-2025.06', 'key_2024']);
    expect(keys[1]?.key).toEqual(Buffer.from(K1, 'base64'));
  });

  it('is off when unset or blank, and a data converter with one codec when set', () => {
    expect(payloadKeysFromEnv({})).toBeUndefined();
    expect(dataConverterFromEnv({ WXAMP_PAYLOAD_KEYS: '  ' })).toBeUndefined();
    const converter = dataConverterFromEnv({ WXAMP_PAYLOAD_KEYS: `k1:${K1}` });
    expect(converter?.payloadCodecs).toHaveLength(1);
    expect(converter?.payloadCodecs?.[0]).toBeInstanceOf(PayloadEncryptionCodec);
  });

  it.each([
    ['an empty JSON object', '{}', /^WXAMP_PAYLOAD_KEYS: must list at least one key/],
    ['broken JSON', `{"k1": "${K1}"`, /^WXAMP_PAYLOAD_KEYS: is not valid JSON; expected a comma list of keyId:base64key/],
    ['a JSON array', `["k1:${K1}"]`, /^WXAMP_PAYLOAD_KEYS: must be a JSON object of key id → base64 key/],
    ['a key without its id', K1, /^WXAMP_PAYLOAD_KEYS: entry 1 must be keyId:base64key/],
    ['an empty entry', `k1:${K1},`, /^WXAMP_PAYLOAD_KEYS: entry 2 must be keyId:base64key/],
    ['an id that is a number', `1:${K1}`, /^WXAMP_PAYLOAD_KEYS: entry 1: the key id must start with a letter/],
    ['an id with a space', `k 1:${K1}`, /^WXAMP_PAYLOAD_KEYS: entry 1: the key id must start with a letter/],
    ['an id listed twice', `k1:${K1},k1:${K2}`, /^WXAMP_PAYLOAD_KEYS: key id 'k1' is listed twice$/],
    ['a key that is not base64', `k1:${K1.slice(0, 20)}!${K1.slice(21)}`, /^WXAMP_PAYLOAD_KEYS: the key of 'k1' must be a base64 string/],
    ['a missing key', 'k1:', /^WXAMP_PAYLOAD_KEYS: the key of 'k1' must be a base64 string/],
    ['a JSON key that is not a string', '{"k1": 32}', /^WXAMP_PAYLOAD_KEYS: the key of 'k1' must be a base64 string/],
    ['a 16-byte key', `k1:${K1.slice(0, 22)}==`, /^WXAMP_PAYLOAD_KEYS: the key of 'k1' must be 32 bytes in base64 \(AES-256\), not 16 bytes$/],
    ['a 48-byte key', `k1:${randomBytes(48).toString('base64')}`, /not 48 bytes$/],
  ])('refuses %s, naming the variable and never quoting a key', (_what, text, message) => {
    const error = keysError(text);
    expect(error).toMatch(message);
    for (const key of [K1, K2, K1.slice(0, 20)]) expect(error).not.toContain(key);
  });

  it('stops the worker with a one-line ConfigError', () => {
    const worker = (keys: string) => loadWorkerConfig({ WECHAT_ACCESS_TOKEN: 'a-token-0123456789', WXAMP_PAYLOAD_KEYS: keys });
    expect(() => worker(K1)).toThrow(ConfigError);
    expect(() => worker(K1)).toThrow(/^WXAMP_PAYLOAD_KEYS: entry 1 must be keyId:base64key/);
    expect(worker(`k1:${K1}`).encryption?.codec.keyIds).toEqual(['k1']);
    expect(worker('').encryption).toBeUndefined();
  });
});
