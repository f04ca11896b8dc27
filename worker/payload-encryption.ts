/** The worker's payload encryption: the keys of `WXAMP_PAYLOAD_KEYS` (read by environment.ts) as a data converter. */
import type { DataConverter } from '@temporalio/common';
import { PayloadEncryptionCodec } from '../common/connection/payload-codec';
import type { PayloadKey } from '../common/connection/payload-keys';

/** The codec and the data converter that carries it, when encryption is on. */
export interface WorkerPayloadEncryption {
  codec: PayloadEncryptionCodec;
  dataConverter: DataConverter;
}

/** The encryption of `keys` (the first encrypts); undefined when there are none (payloads stay plain). */
export function payloadEncryptionOf(keys: readonly PayloadKey[] | undefined): WorkerPayloadEncryption | undefined {
  if (keys === undefined) return undefined;
  const codec = new PayloadEncryptionCodec(keys);
  return { codec, dataConverter: { payloadCodecs: [codec] } };
}
