// Official accounts and their access tokens. As in WeChat, the token is what identifies the
// account on every call, so the registry is the only place that maps a token to an appid.
import { randomBytes } from 'node:crypto';
import { type AccountCredentials, type AccountOptions, type AccountSnapshot } from './sim-types';
import { SimulatorError, requireId } from './simulator-error';

interface Account {
  appId: string;
  accessToken: string;
  includeAppId: boolean;
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
  private readonly appIdByToken = new Map<string, string>();

  constructor(private readonly newToken: () => string = generateAccessToken) {}

  /**
   * Registers an account, or returns the existing one, updating `includeAppId` and the token
   * when they are given.
   */
  register(options: AccountOptions): AccountCredentials {
    requireId('appId', options.appId);
    if (options.includeAppId !== undefined && typeof options.includeAppId !== 'boolean') {
      throw new SimulatorError('includeAppId', 'must be a boolean');
    }
    const existing = this.byAppId.get(options.appId);
    if (existing) {
      if (options.includeAppId !== undefined) existing.includeAppId = options.includeAppId;
      if (options.accessToken !== undefined) this.setToken(existing.appId, options.accessToken);
      return this.credentials(existing);
    }
    const accessToken = options.accessToken ?? this.newToken();
    this.checkTokenFree('accessToken', accessToken, options.appId);
    const account: Account = { appId: options.appId, accessToken, includeAppId: options.includeAppId ?? true };
    this.byAppId.set(account.appId, account);
    this.appIdByToken.set(accessToken, account.appId);
    return this.credentials(account);
  }

  /**
   * Invalidates the account's token (calls with it then get 40001) and issues a fresh one, which
   * it returns: WeChat too invalidates the old token when a new one is fetched.
   */
  revoke(appId: string): AccountCredentials {
    const account = this.require(appId);
    this.setToken(appId, this.newToken());
    return this.credentials(account);
  }

  /** Replaces the account's token with `accessToken`; the old one stops working. */
  setToken(appId: string, accessToken: string): void {
    const account = this.require(appId);
    this.checkTokenFree('accessToken', accessToken, appId);
    this.appIdByToken.delete(account.accessToken);
    account.accessToken = accessToken;
    this.appIdByToken.set(accessToken, appId);
  }

  /** The appid the token belongs to, or undefined for an unknown or revoked token. */
  resolve(accessToken: string): string | undefined {
    return this.appIdByToken.get(accessToken);
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

  /** The accounts, tokens left out. */
  list(): AccountSnapshot[] {
    return [...this.byAppId.values()].map(({ appId, includeAppId }) => ({ appId, includeAppId }));
  }

  /** Forgets every account and token. */
  clear(): void {
    this.byAppId.clear();
    this.appIdByToken.clear();
  }

  private checkTokenFree(field: string, token: string, appId: string): void {
    requireId(field, token);
    const owner = this.appIdByToken.get(token);
    // The owner's appid may be named, never the token itself.
    if (owner !== undefined && owner !== appId) throw new SimulatorError(field, `already belongs to account ${owner}`);
  }

  private credentials(account: Account): AccountCredentials {
    return { appId: account.appId, accessToken: account.accessToken };
  }
}
