/**
 * Reading our worker process's Prometheus endpoint (`WXAMP_METRICS_ADDRESS`): the sticky cache's
 * counters, which tell how often a workflow was not in the cache when its next task came (a miss:
 * its history is replayed from the start) and how often the cache evicted one to make room.
 */
import { createServer } from 'node:net';

/** The sticky-cache series the SDK's core exports (summed over their labels). */
export interface StickyCacheCounters {
  /** Workflows in the cache now. */
  size: number;
  /** Tasks whose workflow was cached. */
  hits: number;
  /** Tasks whose workflow was not (replayed from its history). */
  misses: number;
  /** Workflows evicted to make room (the cache was full). */
  forcedEvictions: number;
}

/** A free TCP port on the loopback interface, for the worker's metrics endpoint. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** The counters now; null when the endpoint does not answer or exports none of them. */
export async function stickyCacheCounters(metricsAddress: string): Promise<StickyCacheCounters | null> {
  const text = await fetch(`http://${metricsAddress}/metrics`).then(
    (response) => response.text(),
    () => '',
  );
  const sum = (name: string): number | null => {
    // Prometheus names may carry a prefix (`temporal_`) and a `_total` suffix for counters.
    const pattern = new RegExp(`^\\w*${name}(_total)?[{ ]`);
    const values = text
      .split('\n')
      .filter((line) => pattern.test(line))
      .map((line) => Number(line.trim().split(/\s+/).pop()));
    return values.length === 0 ? null : values.reduce((total, value) => total + value, 0);
  };
  const size = sum('sticky_cache_size');
  if (size === null) return null;
  return { size, hits: sum('sticky_cache_hit') ?? 0, misses: sum('sticky_cache_miss') ?? 0, forcedEvictions: sum('sticky_cache_total_forced_eviction') ?? 0 };
}
