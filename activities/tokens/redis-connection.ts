/**
 * The one Redis connection a worker's token code shares (`WECHAT_TOKEN_REDIS_URL`), set up to fail
 * fast rather than queue commands forever while Redis is away: a token request then fails with a
 * retryable error and the workflow backs off.
 */
import Redis from 'ioredis';
import { redact } from '../redact';

/** Options of {@link connectRedis}. */
export interface RedisConnectionOptions {
  /** A command (or the first connection) gives up after this long. @default 5000 */
  timeoutMs?: number;
  /** Receives connection errors (already redacted). @default stderr */
  onError?: (message: string) => void;
}

/**
 * Connects to Redis at `url` (`redis://[:password@]host:port[/db]`, or `rediss://` for TLS) and
 * checks it answers PING. @throws an Error whose message has the password masked.
 */
export async function connectRedis(url: string, options: RedisConnectionOptions = {}): Promise<Redis> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    // Commands sent while disconnected fail after one reconnect attempt instead of waiting 20.
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  // Without a listener ioredis prints every connection error itself, unredacted.
  const onError = options.onError ?? ((message: string) => console.error(`wxamp-link: Redis: ${message}`));
  let lastMessage = '';
  redis.on('error', (error: Error) => {
    const message = redact(error.message, [url]);
    if (message !== lastMessage) onError(message); // once per distinct error, not once per retry
    lastMessage = message;
  });
  redis.on('ready', () => (lastMessage = ''));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    // The message only, masked: ioredis errors carry the connection options, password included.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(redact(error instanceof Error ? error.message : String(error), [url]));
  }
  return redis;
}
