/** The worker's payload encryption: `WXAMP_PAYLOAD_KEYS` as a data converter, or a one-line ConfigError. */
import type { DataConverter } from '@temporalio/common';
import { payloadCodecFromEnv, type PayloadEncryptionCodec } from '../client/payload-codec';
import { PayloadKeysError } from '../client/payload-keys';
import { ConfigError } from './config-error';

/** The codec and the data converter that carries it, when encryption is on. */
export interface WorkerPayloadEncryption {
  codec: PayloadEncryptionCodec;
  dataConverter: DataConverter;
}

/**
 * Reads `WXAMP_PAYLOAD_KEYS`: undefined when unset (payloads stay plain).
 * @throws {@link ConfigError} naming the variable, so that the worker stops with one line.
 */
export function payloadEncryptionFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerPayloadEncryption | undefined {
  try {
    const codec = payloadCodecFromEnv(env);
    return codec && { codec, dataConverter: { payloadCodecs: [codec] } };
  } catch (error) {
    if (error instanceof PayloadKeysError) throw new ConfigError(error.message);
    throw error;
  }
}
