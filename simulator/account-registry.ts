// Official accounts and their access tokens. As in WeChat, the token is what identifies the
// account on every call, so the registry is the only place that maps a token to an appid. Tokens
// set by hand never expire; tokens issued by the token endpoints expire, and a replaced one keeps
// working for a grace period, as WeChat's do.
import { randomBytes } from 'node:crypto';
import { type AccountCredentials, type AccountOptions, type AccountSnapshot } from './sim-types';
import { SimulatorError, requireId } from './simulator-error';
import { type TokenCheck } from './token-types';

interface Account {
  appId: string;
  accessToken: string;
  includeAppId: boolean;
  /** The secret `stable_token` wants; none means every secret is wrong (40125). */
  appSecret: string | undefined;
}

/** What is known of a token: whose it is, when it expires and when a replaced one stops working. */
interface TokenRecord {
  appId: string;
  /** Epoch ms; null for tokens set by hand, which never expire. */
  expiresAt: number | null;
  /** Epoch ms after which a replaced token is refused (40001); null while it is the current one. */
  retiresAt: number | null;
}

/** The current token of an account with its expiry, as the token endpoints hand it out. */
export interface IssuedToken {
  token: string;
  /** Epoch ms; null when the token never expires. */
  expiresAt: number | null;
}

/**
 * A random token that looks like WeChat's: 128 characters of `[A-Za-z0-9_-]`, so that clients
 * which validate or truncate tokens meet the same shape as in production.
 */
export function generateAccessToken(): string {
  return randomBytes(96).toString('base64url');
}

/** Accounts by appid and by token. */
export class AccountRegistry {
  private readonly byAppId = new Map<string, Account>();
  private readonly tokens = new Map<string, TokenRecord>();

  constructor(private readonly newToken: () => string = generateAccessToken) {}

  /**
   * Registers an account, or returns the existing one, updating `includeAppId`, the token and the
   * secret when they are given.
   */
  register(options: AccountOptions): AccountCredentials {
    requireId('appId', options.appId);
    if (options.includeAppId !== undefined && typeof options.includeAppId !== 'boolean') {
      throw new SimulatorError('includeAppId', 'must be a boolean');
    }
    if (options.appSecret !== undefined) requireId('appSecret', options.appSecret);
    const existing = this.byAppId.get(options.appId);
    if (existing) {
      if (options.includeAppId !== undefined) existing.includeAppId = options.includeAppId;
      if (options.accessToken !== undefined) this.setToken(existing.appId, options.accessToken);
      if (options.appSecret !== undefined) existing.appSecret = options.appSecret;
      return this.credentials(existing);
    }
    const accessToken = options.accessToken ?? this.newToken();
    this.checkTokenFree('accessToken', accessToken, options.appId);
    const account: Account = { appId: options.appId, accessToken, includeAppId: options.includeAppId ?? true, appSecret: options.appSecret };
    this.byAppId.set(account.appId, account);
    this.tokens.set(accessToken, { appId: account.appId, expiresAt: null, retiresAt: null });
    return this.credentials(account);
  }

  /**
   * Invalidates the account's token at once (calls with it then get 40001) and issues a fresh one,
   * which it returns: WeChat too invalidates the old token when a new one is forced.
   */
  revoke(appId: string): AccountCredentials {
    const account = this.require(appId);
    this.setToken(appId, this.newToken());
    return this.credentials(account);
  }

  /** Replaces the account's token with `accessToken`, which never expires; the old one stops working at once. */
  setToken(appId: string, accessToken: string): void {
    const account = this.require(appId);
    this.checkTokenFree('accessToken', accessToken, appId);
    this.tokens.delete(account.accessToken);
    account.accessToken = accessToken;
    this.tokens.set(accessToken, { appId, expiresAt: null, retiresAt: null });
  }

  /** The account's current token and its expiry. */
  current(appId: string): IssuedToken {
    const account = this.require(appId);
    return { token: account.accessToken, expiresAt: this.tokens.get(account.accessToken)?.expiresAt ?? null };
  }

  /**
   * Issues a new token living `lifetimeMs` from `now`; the previous one keeps working until
   * `now + graceMs` (or its own expiry, if sooner).
   */
  issue(appId: string, now: number, lifetimeMs: number, graceMs: number): IssuedToken {
    const account = this.require(appId);
    const previous = this.tokens.get(account.accessToken);
    if (previous) previous.retiresAt = Math.min(now + graceMs, previous.expiresAt ?? Number.POSITIVE_INFINITY);
    this.prune(now);
    const token = this.newToken();
    account.accessToken = token;
    const record: TokenRecord = { appId, expiresAt: now + lifetimeMs, retiresAt: null };
    this.tokens.set(token, record);
    return { token, expiresAt: record.expiresAt };
  }

  /** Whether `secret` is the account's secret; false for an account without one. */
  secretMatches(appId: string, secret: string): boolean {
    const account = this.require(appId);
    return account.appSecret !== undefined && account.appSecret === secret;
  }

  /** Whether an account is registered. */
  has(appId: string): boolean {
    return this.byAppId.has(appId);
  }

  /** The appid the token belongs to, or undefined for an unknown, replaced or expired token. */
  resolve(accessToken: string, now: number = Date.now()): string | undefined {
    const check = this.check(accessToken, now);
    return check.ok ? check.appId : undefined;
  }

  /** How a token checks out at `now`: its account, 42001 once expired, 40001 once replaced (or unknown). */
  check(accessToken: string, now: number): TokenCheck {
    const record = this.tokens.get(accessToken);
    if (record === undefined) return { ok: false, errcode: 40001, appId: null };
    if (record.retiresAt !== null && now >= record.retiresAt) return { ok: false, errcode: 40001, appId: record.appId };
    if (record.expiresAt !== null && now >= record.expiresAt) return { ok: false, errcode: 42001, appId: record.appId };
    return { ok: true, appId: record.appId };
  }

  /** Whether `wxamplinkget` items of this account carry `appid`. */
  includesAppId(appId: string): boolean {
    return this.require(appId).includeAppId;
  }

  /** Throws a {@link SimulatorError} unless the account is registered. */
  require(appId: string, field = 'accountAppId'): Account {
    requireId(field, appId);
    const account = this.byAppId.get(appId);
    if (!account) throw new SimulatorError(field, `no account ${appId} is registered`);
    return account;
  }

  /** The accounts, tokens and secrets left out. */
  list(): AccountSnapshot[] {
    return [...this.byAppId.values()].map(({ appId, includeAppId }) => ({ appId, includeAppId }));
  }

  /** Forgets every account and token. */
  clear(): void {
    this.byAppId.clear();
    this.tokens.clear();
  }

  /** Drops replaced tokens whose grace ended an hour ago: they answer 40001 like unknown ones. */
  private prune(now: number): void {
    for (const [token, record] of this.tokens) {
      if (record.retiresAt !== null && record.retiresAt < now - 3_600_000) this.tokens.delete(token);
    }
  }

  private checkTokenFree(field: string, token: string, appId: string): void {
    requireId(field, token);
    const owner = this.tokens.get(token)?.appId;
    // The owner's appid may be named, never the token itself.
    if (owner !== undefined && owner !== appId) throw new SimulatorError(field, `already belongs to account ${owner}`);
  }

  private credentials(account: Account): AccountCredentials {
    return { appId: account.appId, accessToken: account.accessToken, ...(account.appSecret !== undefined && { appSecret: account.appSecret }) };
  }
}
