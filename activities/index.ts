/**
 * The worker's activities, built by a factory so that the worker (and tests) choose the WeChat
 * client and the token source; nothing here reads globals or the environment.
 */
import { createLinkActivities } from './link-activities';
import { createUnlinkActivities } from './unlink-activities';
import { createWorkflowActivities } from './workflow-activities';
import { createCampaignActivities } from './campaign-activities';
import { createPolicyActivities } from './policy-activities';
import { createWebhookActivities, type WebhookDeliveryDeps } from './webhook-activities';
import type { OperatorPolicy } from '../common/operator-policy';
import type { AccessTokenProvider } from './tokens/access-token-provider';
import type { WeChatClient } from './wechat-client';

/** What the activities need. */
export interface ActivityDeps {
  /** The WeChat API client (its base URL points at WeChat or a simulator). */
  wechat: WeChatClient;
  /** Where access tokens come from. */
  tokens: AccessTokenProvider;
  /** The operator's limits the workflows apply (poll-interval floor, account refusals). @default DEFAULT_OPERATOR_POLICY */
  policy?: OperatorPolicy;
  /** Where webhook events go and the secret that signs them. @default none: no event is sent */
  webhook?: WebhookDeliveryDeps;
}

/** Builds every activity the workflows call. */
export function createActivities(deps: ActivityDeps) {
  const workflowActivities = createWorkflowActivities();
  return {
    ...createLinkActivities(deps),
    ...createUnlinkActivities(deps),
    ...workflowActivities,
    ...createCampaignActivities(),
    ...createPolicyActivities((input) => workflowActivities.describeWorkflowRun(input), deps.policy),
    ...createWebhookActivities(deps.webhook),
  };
}

/** The activity functions, as the workflows see their types. */
export type Activities = ReturnType<typeof createActivities>;

export { WeChatClient, WECHAT_API_BASE_URL, type WeChatClientOptions } from './wechat-client';
export { StaticTokenProvider, type StaticTokenOptions } from './tokens/static-token-provider';
export { TokenServiceProvider, type TokenServiceOptions } from './tokens/token-service-provider';
export { AccessTokenUnavailableError, type AccessTokenProvider, type TokenEndpointFailure } from './tokens/access-token-provider';
export { StableTokenProvider, type StableTokenOptions } from './tokens/stable-token-provider';
export { ComponentTokenProvider, type ComponentTokenOptions } from './tokens/component-token-provider';
export { RoutingTokenProvider, type TokenRoute } from './tokens/routing-token-provider';
export { TokenEndpointClient, type TokenEndpointClientOptions } from './tokens/token-endpoint';
export { TokenCache, type TokenCacheOptions, type FetchedToken, type TokenFetcher } from './tokens/token-cache';
export { MemoryTokenStore, type TokenStore, type StoredToken } from './tokens/token-store';
export { RedisTokenStore, type RedisTokenStoreOptions } from './tokens/redis-token-store';
export { type CredentialStore, verifyTicketKey, refreshTokenKey, DEFAULT_REDIS_PREFIX } from './tokens/credential-store';
export { MemoryCredentialStore, FileCredentialStore } from './tokens/file-credential-store';
export { RedisCredentialStore } from './tokens/redis-credential-store';
export { connectRedis } from './tokens/redis-connection';
export { WeChatApiError, isWeChatApiError } from './wechat-api-error';
