// Third-party platforms (第三方平台) as WeChat knows them: each platform's secret, the
// component_verify_tickets WeChat pushed to it, its component_access_tokens, and which official
// accounts authorized it with which refresh token.
import { randomBytes } from 'node:crypto';
import { SimulatorError, requireId } from './simulator-error';
import { type AuthorizerCredentials, type ComponentCredentials, type ComponentOptions } from './token-types';

interface Component {
  componentAppId: string;
  secret: string;
  /** Ticket → when it was pushed (epoch ms). */
  tickets: Map<string, number>;
  /** The current component_access_token and its expiry. */
  token: { value: string; expiresAt: number } | null;
}

interface ComponentTokenRecord {
  componentAppId: string;
  expiresAt: number;
  retiresAt: number | null;
}

interface Authorization {
  componentAppId: string;
  refreshToken: string;
}

/** How a component_access_token checks out. */
export type ComponentTokenCheck = { ok: true; componentAppId: string } | { ok: false; errcode: 40001 | 42001 };

/** A random secret-looking string: 32 hex characters, as WeChat's secrets are. */
export function generateSecret(): string {
  return randomBytes(16).toString('hex');
}

/** A random ticket or refresh token (WeChat's are long opaque strings). */
function generateOpaque(prefix: string): string {
  return `${prefix}@@@${randomBytes(36).toString('base64url')}`;
}

/** Platforms, their tickets and tokens, and the authorizations they hold. */
export class ComponentRegistry {
  private readonly components = new Map<string, Component>();
  private readonly componentTokens = new Map<string, ComponentTokenRecord>();
  private readonly authorizations = new Map<string, Authorization>();

  constructor(private readonly newToken: () => string) {}

  /** Registers a platform (or updates its secret); returns its credentials. */
  register(options: ComponentOptions): ComponentCredentials {
    requireId('componentAppId', options.componentAppId);
    if (options.componentAppSecret !== undefined) requireId('componentAppSecret', options.componentAppSecret);
    const existing = this.components.get(options.componentAppId);
    if (existing) {
      if (options.componentAppSecret !== undefined) existing.secret = options.componentAppSecret;
      return { componentAppId: existing.componentAppId, componentAppSecret: existing.secret };
    }
    const component: Component = {
      componentAppId: options.componentAppId,
      secret: options.componentAppSecret ?? generateSecret(),
      tickets: new Map(),
      token: null,
    };
    this.components.set(component.componentAppId, component);
    return { componentAppId: component.componentAppId, componentAppSecret: component.secret };
  }

  /** WeChat pushes a ticket (a random one when omitted); earlier tickets stay valid until they expire. */
  pushTicket(componentAppId: string, now: number, ticket?: string): string {
    const component = this.require(componentAppId);
    if (ticket !== undefined) requireId('ticket', ticket);
    const value = ticket ?? generateOpaque('ticket');
    component.tickets.set(value, now);
    return value;
  }

  /** 0 for a ticket pushed less than `lifetimeMs` ago, 61005 for an older one, 61006 for an unknown one. */
  checkTicket(componentAppId: string, ticket: string, now: number, lifetimeMs: number): 0 | 61005 | 61006 {
    const pushedAt = this.require(componentAppId).tickets.get(ticket);
    if (pushedAt === undefined) return 61006;
    return now - pushedAt >= lifetimeMs ? 61005 : 0;
  }

  /** Whether the platform is registered and `secret` is its secret. */
  secretMatches(componentAppId: string, secret: string): boolean {
    return this.components.get(componentAppId)?.secret === secret;
  }

  /** Whether a platform is registered. */
  has(componentAppId: string): boolean {
    return this.components.has(componentAppId);
  }

  /**
   * The platform's component_access_token: the current one while it has more than `earlyMs`
   * left, else a new one (the previous one keeps working for `graceMs`).
   */
  componentToken(
    componentAppId: string,
    now: number,
    policy: { lifetimeMs: number; earlyRefreshMs: number; graceMs: number },
  ): { token: string; expiresAt: number; issued: boolean } {
    const component = this.require(componentAppId);
    const current = component.token;
    if (current && current.expiresAt - now > policy.earlyRefreshMs) return { token: current.value, expiresAt: current.expiresAt, issued: false };
    if (current) {
      const record = this.componentTokens.get(current.value);
      if (record) record.retiresAt = Math.min(now + policy.graceMs, record.expiresAt);
    }
    const value = this.newToken();
    component.token = { value, expiresAt: now + policy.lifetimeMs };
    this.componentTokens.set(value, { componentAppId, expiresAt: now + policy.lifetimeMs, retiresAt: null });
    return { token: value, expiresAt: component.token.expiresAt, issued: true };
  }

  /** How a component_access_token checks out at `now`. */
  checkComponentToken(token: string, now: number): ComponentTokenCheck {
    const record = this.componentTokens.get(token);
    if (record === undefined || (record.retiresAt !== null && now >= record.retiresAt)) return { ok: false, errcode: 40001 };
    if (now >= record.expiresAt) return { ok: false, errcode: 42001 };
    return { ok: true, componentAppId: record.componentAppId };
  }

  /** An account authorizes the platform: a new refresh token (any earlier one stops working). */
  authorize(componentAppId: string, authorizerAppId: string): AuthorizerCredentials {
    this.require(componentAppId);
    requireId('authorizerAppId', authorizerAppId);
    const refreshToken = generateOpaque('refreshtoken');
    this.authorizations.set(authorizerAppId, { componentAppId, refreshToken });
    return { componentAppId, authorizerAppId, authorizerRefreshToken: refreshToken };
  }

  /** The authorization of an account, if it authorized this platform. */
  authorization(componentAppId: string, authorizerAppId: string): Authorization | undefined {
    const found = this.authorizations.get(authorizerAppId);
    return found?.componentAppId === componentAppId ? found : undefined;
  }

  /** Replaces an authorization's refresh token; the old one then fails with 61023. */
  rotateRefreshToken(authorizerAppId: string): string {
    const found = this.authorizations.get(authorizerAppId);
    if (found === undefined) throw new SimulatorError('authorizerAppId', `account ${authorizerAppId} authorized no platform`);
    found.refreshToken = generateOpaque('refreshtoken');
    return found.refreshToken;
  }

  /** Forgets every platform, ticket, token and authorization. */
  clear(): void {
    this.components.clear();
    this.componentTokens.clear();
    this.authorizations.clear();
  }

  private require(componentAppId: string): Component {
    requireId('componentAppId', componentAppId);
    const component = this.components.get(componentAppId);
    if (!component) throw new SimulatorError('componentAppId', `no platform ${componentAppId} is registered`);
    return component;
  }
}
