/**
 * Credential stores for one box and for tests: {@link MemoryCredentialStore} in this process, and
 * {@link FileCredentialStore}, a JSON file that the platform's callback service and the worker
 * share (read afresh on every use, written atomically, mode 0600):
 * `{"component_verify_ticket": {"<component_appid>": "…"}, "authorizer_refresh_token": {"<appid>": "…"}}`.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { CredentialStore } from './credential-store';

type Section = 'component_verify_ticket' | 'authorizer_refresh_token';
type Contents = Partial<Record<Section, Record<string, string>>>;

/** Credentials held in memory; tests play the callback service with the setters. */
export class MemoryCredentialStore implements CredentialStore {
  private readonly tickets = new Map<string, string>();
  private readonly refreshTokens = new Map<string, string>();

  where(what: Section, appId: string): string {
    return `the in-memory credential store (${what} of ${appId})`;
  }

  /** Stores a verify ticket, as the callback service does when WeChat pushes one. */
  setVerifyTicket(componentAppId: string, ticket: string): void {
    this.tickets.set(componentAppId, ticket);
  }

  /** Stores a refresh token, as the callback service does when an account authorizes the platform. */
  setRefreshToken(authorizerAppId: string, refreshToken: string): void {
    this.refreshTokens.set(authorizerAppId, refreshToken);
  }

  getVerifyTicket(componentAppId: string): Promise<string | undefined> {
    return Promise.resolve(this.tickets.get(componentAppId));
  }

  getRefreshToken(authorizerAppId: string): Promise<string | undefined> {
    return Promise.resolve(this.refreshTokens.get(authorizerAppId));
  }

  replaceRefreshToken(authorizerAppId: string, previous: string, next: string): Promise<boolean> {
    if (this.refreshTokens.get(authorizerAppId) !== previous) return Promise.resolve(false);
    this.refreshTokens.set(authorizerAppId, next);
    return Promise.resolve(true);
  }
}

/** Credentials in a JSON file (`WECHAT_CREDENTIAL_STORE_FILE`), for a single worker box. */
export class FileCredentialStore implements CredentialStore {
  constructor(readonly path: string) {}

  where(what: Section, appId: string): string {
    return `${this.path} ("${what}" → "${appId}")`;
  }

  async getVerifyTicket(componentAppId: string): Promise<string | undefined> {
    return (await this.read()).component_verify_ticket?.[componentAppId];
  }

  async getRefreshToken(authorizerAppId: string): Promise<string | undefined> {
    return (await this.read()).authorizer_refresh_token?.[authorizerAppId];
  }

  async replaceRefreshToken(authorizerAppId: string, previous: string, next: string): Promise<boolean> {
    const contents = await this.read();
    if (contents.authorizer_refresh_token?.[authorizerAppId] !== previous) return false;
    await this.write({ ...contents, authorizer_refresh_token: { ...contents.authorizer_refresh_token, [authorizerAppId]: next } });
    return true;
  }

  /** Stores a verify ticket (what the callback service does; also for tests and set-up scripts). */
  async setVerifyTicket(componentAppId: string, ticket: string): Promise<void> {
    const contents = await this.read();
    await this.write({ ...contents, component_verify_ticket: { ...contents.component_verify_ticket, [componentAppId]: ticket } });
  }

  /** Stores a refresh token (what the callback service does on authorization). */
  async setRefreshToken(authorizerAppId: string, refreshToken: string): Promise<void> {
    const contents = await this.read();
    await this.write({ ...contents, authorizer_refresh_token: { ...contents.authorizer_refresh_token, [authorizerAppId]: refreshToken } });
  }

  private async read(): Promise<Contents> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(`credential store ${this.path} cannot be read: ${(error as Error).message}`, { cause: error });
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed;
    } catch {
      // reported below, without quoting the contents (they are secrets)
    }
    throw new Error(`credential store ${this.path} is not a JSON object of the documented shape`);
  }

  private async write(contents: Contents): Promise<void> {
    // Write beside, then rename: a reader never sees half a file.
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(contents, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, this.path);
  }
}
