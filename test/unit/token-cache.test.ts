/** The token cache on its own, against a hand-driven clock: single flight, expiry margin, compare-and-delete, remembered failures. */
import { describe, expect, it } from '@jest/globals';
import { AccessTokenUnavailableError, MemoryTokenStore, TokenCache } from '../../activities';

function setup(answer: (n: number, force: boolean) => Promise<string> = (n) => Promise.resolve(`token-${n}`)) {
  let now = 1_000_000;
  const fetches: boolean[] = [];
  const clock = () => now;
  const cache = new TokenCache({
    store: new MemoryTokenStore({ now: clock, failureTtlMs: 5_000 }),
    now: clock,
    expiryMarginMs: 300_000,
    fetch: async (_id, { forceRefresh }) => {
      fetches.push(forceRefresh);
      return { token: await answer(fetches.length, forceRefresh), expiresInSec: 7200 };
    },
  });
  return { cache, fetches, tick: (ms: number) => (now += ms) };
}

describe('TokenCache', () => {
  it('serves 50 concurrent callers with one fetch', async () => {
    const { cache, fetches } = setup();
    const tokens = await Promise.all(Array.from({ length: 50 }, () => cache.get('wx1')));
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    expect(fetches).toEqual([false]);
  });

  it('renews five minutes before expiry', async () => {
    const { cache, fetches, tick } = setup();
    await cache.get('wx1');
    tick(6_899_000);
    expect(await cache.get('wx1')).toBe('token-1');
    tick(1_000);
    expect(await cache.get('wx1')).toBe('token-2');
    expect(fetches).toEqual([false, false]);
  });

  it('drops only the rejected token, and forces the next fetch', async () => {
    const { cache, fetches } = setup();
    await cache.get('wx1');
    await cache.invalidate('wx1', 'token-1');
    expect(await cache.get('wx1')).toBe('token-2');
    await cache.invalidate('wx1', 'token-1'); // a late rejection of the old token
    expect(await cache.get('wx1')).toBe('token-2');
    expect(fetches).toEqual([false, true]);
  });

  it('remembers a failed fetch for a while instead of asking again at once', async () => {
    const { cache, fetches, tick } = setup(() => Promise.reject(new AccessTokenUnavailableError('wx1', 'no token: errcode 40125')));
    await expect(cache.get('wx1')).rejects.toThrow('errcode 40125');
    await expect(cache.get('wx1')).rejects.toThrow('errcode 40125');
    expect(fetches).toHaveLength(1);
    tick(5_000);
    await expect(cache.get('wx1')).rejects.toThrow('errcode 40125');
    expect(fetches).toHaveLength(2);
  });
});
