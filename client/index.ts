/**
 * wxamp-link's client library: everything backend code needs to start, follow and stop links.
 * @example
 * ```ts
 * const { links, connection } = await connectLinkClient();
 * const handle = await links.link({ officialAccountAppId: 'wx…', miniProgramAppId: 'wx…', showProfile: true });
 * console.log(await links.getState('wx…', 'wx…'));
 * const result = await handle.result(); // { outcome: 'linked', transitions: [...], ... }
 * await connection.close();
 * ```
 */
export {
  WxampLinkClient,
  type LinkHandle,
  type PairKind,
  type StartedLinkHandle,
  type StartedUnlinkHandle,
  type StartLinkOptions,
  type WxampLinkClientOptions,
} from './link-client';
export { connectLinkClient, type ConnectOptions } from './connect';
export { campaignMessages, getCampaignHandle, type CampaignHandle, type StartCampaignOptions } from './campaign-client';
export { campaignReport, type CampaignReportRow } from './campaign-report';
export * from '../workflows/campaign/campaign-contract';
export {
  connectionFailureMessage,
  ConnectionConfigError,
  describeConnection,
  loadConnectionConfig,
  type ConnectionOverrides,
  type TemporalConnectionConfig,
  type TemporalConnectionOptions,
} from '../common/connection/connection-config';
export { ConflictingWorkflowError } from './conflicting-workflow-error';
export { findLinksQuery, type FindLinksFilter, type FoundWorkflow } from './find-links';
export {
  dataConverterFromEnv,
  ENCRYPTED_ENCODING,
  ENCRYPTION_KEY_ID_METADATA,
  PayloadDecryptionError,
  PayloadEncryptionCodec,
  payloadCodecFromEnv,
  type PayloadEncryptionCodecOptions,
} from '../common/connection/payload-codec';
export { PAYLOAD_KEYS_VARIABLE, parsePayloadKeys, PayloadKeysError, type PayloadKey } from '../common/connection/payload-keys';
export { startCodecServer, type CodecServer, type CodecServerOptions } from './codec-server';
export * from '../workflows/contract';
export { InputValidationError } from '../workflows/support/validate-input';
export { verifyWebhookSignature, signWebhook, DEFAULT_WEBHOOK_TOLERANCE_SECONDS, type SignedWebhookRequest } from '../common/signing/webhook-signature';
