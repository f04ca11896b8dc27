/**
 * Opt-in payload encryption: a Temporal {@link PayloadCodec} with AES-256-GCM, so that what the
 * workflows carry (mini programs' nicknames, admin emails, avatar URLs, results) is ciphertext
 * on the Temporal server. The worker, the client library, the `wxamp` CLI and the codec server
 * all build it from `WXAMP_PAYLOAD_KEYS`.
 *
 * Format, as in Temporal's encryption samples: the whole payload (metadata and data) is
 * serialized as a `temporal.api.common.v1.Payload` and encrypted; the result is a payload with
 * metadata `encoding: binary/encrypted` and `encryption-key-id: <id>`, and data
 * `nonce (12 bytes) ‖ ciphertext ‖ GCM tag (16 bytes)`.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { PAYLOAD_KEYS_VARIABLE, payloadKeysFromEnv, type PayloadKey } from './payload-keys';

/** The `encoding` metadata of an encrypted payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata key that names the key a payload was encrypted with. */
export const ENCRYPTION_KEY_ID_METADATA = 'encryption-key-id';

const ALGORITHM = 'aes-256-gcm';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const ProtoPayload = temporal.api.common.v1.Payload;

/** A payload that cannot be decrypted: its key is not configured, or the key or data is wrong. */
export class PayloadDecryptionError extends Error {
  /** The key id the payload names, when it names one. */
  readonly keyId: string | undefined;
  constructor(message: string, keyId?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PayloadDecryptionError';
    this.keyId = keyId;
  }
}

/** Options of {@link PayloadEncryptionCodec}. */
export interface PayloadEncryptionCodecOptions {
  /** Where the keys come from, for error messages. @default 'WXAMP_PAYLOAD_KEYS' */
  source?: string;
}

/**
 * Encrypts every payload with the first key and decrypts with any listed key. Payloads that are
 * not encrypted pass through `decode` unchanged, so histories written before encryption was
 * turned on still read.
 */
export class PayloadEncryptionCodec implements PayloadCodec {
  /** The id of the key that encrypts. */
  readonly encryptionKeyId: string;
  /** Every key id that decrypts, the encrypting one first. */
  readonly keyIds: readonly string[];
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly source: string;

  /** @param keys from {@link parsePayloadKeys}; the first one encrypts. */
  constructor(keys: readonly PayloadKey[], options: PayloadEncryptionCodecOptions = {}) {
    const first = keys[0];
    if (first === undefined) throw new RangeError('PayloadEncryptionCodec: at least one key is needed');
    for (const { id, key } of keys) {
      if (key.length !== 32) throw new RangeError(`PayloadEncryptionCodec: the key of '${id}' must be 32 bytes`);
    }
    this.encryptionKeyId = first.id;
    this.keyIds = keys.map((key) => key.id);
    this.keys = new Map(keys.map(({ id, key }) => [id, Buffer.from(key)]));
    this.source = options.source ?? PAYLOAD_KEYS_VARIABLE;
  }

  /** Encrypts each payload with the first key. */
  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(payloads.map((payload) => this.encrypt(payload)));
  }

  /** Decrypts each encrypted payload with the key it names; others pass through. */
  decode(payloads: Payload[]): Promise<Payload[]> {
    // A throw in the executor rejects the promise: a payload that cannot be decrypted fails the call.
    return new Promise((resolve) => resolve(payloads.map((payload) => this.decrypt(payload))));
  }

  private encrypt(payload: Payload): Payload {
    const key = this.keys.get(this.encryptionKeyId) as Buffer;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, nonce);
    const plain = ProtoPayload.encode(payload).finish();
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
        [ENCRYPTION_KEY_ID_METADATA]: Buffer.from(this.encryptionKeyId),
      },
      data: Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    if (encoding === undefined || Buffer.from(encoding).toString() !== ENCRYPTED_ENCODING) return payload;
    const idBytes = payload.metadata?.[ENCRYPTION_KEY_ID_METADATA];
    if (idBytes === undefined) {
      throw new PayloadDecryptionError(`cannot decrypt a payload: it has no '${ENCRYPTION_KEY_ID_METADATA}' metadata`);
    }
    const keyId = Buffer.from(idBytes).toString();
    const key = this.keys.get(keyId);
    if (key === undefined) {
      throw new PayloadDecryptionError(
        `cannot decrypt a payload encrypted with key '${printable(keyId)}': ${this.source} does not list it (it lists ${this.keyIds.join(', ')}). ` +
          `After a rotation, keep the old keys after the new one for as long as histories written with them are read.`,
        keyId,
      );
    }
    const data = Buffer.from(payload.data ?? []);
    if (data.length < NONCE_BYTES + TAG_BYTES) {
      throw new PayloadDecryptionError(`cannot decrypt a payload encrypted with key '${keyId}': its data is too short`, keyId);
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, data.subarray(0, NONCE_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return ProtoPayload.decode(plain);
    } catch (error) {
      throw new PayloadDecryptionError(
        `cannot decrypt a payload with key '${keyId}': the key in ${this.source} is not the one that encrypted it, or the payload was altered`,
        keyId,
        { cause: error },
      );
    }
  }
}

/** The codec from `WXAMP_PAYLOAD_KEYS`, or undefined when the variable is unset (encryption off). @throws {@link PayloadKeysError} */
export function payloadCodecFromEnv(env: NodeJS.ProcessEnv = process.env): PayloadEncryptionCodec | undefined {
  const keys = payloadKeysFromEnv(env);
  return keys && new PayloadEncryptionCodec(keys);
}

/**
 * The data converter to give `new Client({ dataConverter })` and `Worker.create({ dataConverter })`:
 * `{ payloadCodecs: [codec] }` when `WXAMP_PAYLOAD_KEYS` is set, undefined (Temporal's default)
 * when it is not. The worker and every client must agree, or they cannot read each other.
 * @throws {@link PayloadKeysError} naming the variable when its value is bad.
 */
export function dataConverterFromEnv(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  const codec = payloadCodecFromEnv(env);
  return codec && { payloadCodecs: [codec] };
}

/** A key id read from a payload, fit for a message (it came from the server, so it is bounded). */
function printable(keyId: string): string {
  return /^[\w.-]{1,64}$/.test(keyId) ? keyId : '(an invalid id)';
}
