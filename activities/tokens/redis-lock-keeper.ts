/**
 * Keeping a Redis lock while its holder works: a refresh can outlast the lock's TTL (a slow token
 * endpoint, a component token fetched first), and a lock that expires mid-refresh lets a second
 * worker start a second refresh. The keeper extends the lock periodically, only while this holder
 * still owns it (compare-and-pexpire in one Lua script), and stops when told or when the lock is
 * found lost.
 */
import type Redis from 'ioredis';

// Extends the lock only if it still holds our id: a lock that expired and was taken by another
// worker is never extended on its behalf.
const EXTEND_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** A running keeper of one lock. */
export interface LockKeeper {
  /** Stops extending (the lock is released, or left to expire, by the caller). Idempotent. */
  stop(): void;
}

/**
 * Extends `lockKey` (holding `owner`) to `ttlMs` every third of `ttlMs` until stopped. Errors of
 * Redis are ignored here: the next extension tries again, and the store's own ownership check
 * (`STORE_IF_OWNER`) is the fence that matters.
 */
export function keepLock(redis: Redis, lockKey: string, owner: string, ttlMs: number): LockKeeper {
  // False once an extension found the lock held by someone else (or gone): extending stops.
  let held = true;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (stopped || !held) return;
    timer = setTimeout(() => void extend(), Math.max(10, Math.floor(ttlMs / 3)));
    // A pending extension must not keep a stopping process alive.
    timer.unref();
  };
  const extend = async (): Promise<void> => {
    try {
      const result = await redis.eval(EXTEND_IF_OWNER, 1, lockKey, owner, ttlMs);
      if (result === 0 && !stopped) held = false;
    } catch {
      // Redis unreachable for a moment: try again at the next tick.
    }
    schedule();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
