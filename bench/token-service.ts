/**
 * A token service for the scale run's worker process (`WECHAT_TOKEN_URL`): thousands of accounts
 * do not fit in one `WECHAT_ACCESS_TOKENS` variable (Linux caps one at 128 KiB), and this answers
 * `GET /token?appid=<oa>` with the account's simulator token, as the token service of
 * docs/credentials.md does.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running token service. */
export interface TokenService {
  /** The value for `WECHAT_TOKEN_URL`. */
  url: string;
  close(): Promise<void>;
}

/** Serves `tokens` (appid → token) on a free loopback port. */
export async function startTokenService(tokens: ReadonlyMap<string, string>): Promise<TokenService> {
  const server: Server = createServer((req, res) => {
    const appid = new URL(req.url ?? '/', 'http://token.invalid').searchParams.get('appid') ?? '';
    const token = tokens.get(appid);
    res.writeHead(token === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(token === undefined ? { errcode: 40013, errmsg: 'invalid appid' } : { access_token: token, expires_in: 7_200 }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/token`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
