/**
 * Payload encryption for `wxamp`: the worker's `WXAMP_PAYLOAD_KEYS` as the client's data
 * converter, and the one-line messages for keys that are bad, missing or not the worker's.
 */
import type { DataConverter } from '@temporalio/common';
import { dataConverterFromEnv, ENCRYPTED_ENCODING, PayloadDecryptionError } from '../../common/connection/payload-codec';
import { PAYLOAD_KEYS_VARIABLE, PayloadKeysError } from '../../common/connection/payload-keys';
import { CliError } from './cli-error';
import { ExitCode } from './exit-codes';

/** The data converter from the environment. @throws {@link CliError} (usage) when `WXAMP_PAYLOAD_KEYS` is bad. */
export function cliDataConverter(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  try {
    return dataConverterFromEnv(env);
  } catch (error) {
    if (error instanceof PayloadKeysError) throw new CliError(error.message, ExitCode.Usage);
    throw error;
  }
}

/**
 * A {@link CliError} when `error` means the payloads could not be read: a key is missing, or the
 * payloads are encrypted and `WXAMP_PAYLOAD_KEYS` is not set (the SDK says "Unknown encoding").
 */
export function payloadEncryptionCliError(error: unknown): CliError | undefined {
  if (error instanceof PayloadDecryptionError) return new CliError(error.message, ExitCode.Usage);
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.message.includes(`Unknown encoding: ${ENCRYPTED_ENCODING}`)) {
      return new CliError(`the workflow's payloads are encrypted: set ${PAYLOAD_KEYS_VARIABLE} to the worker's keys`, ExitCode.Usage);
    }
  }
  return undefined;
}
