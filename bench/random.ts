/** A seeded random source, so that a run's choices (who acts when) can be repeated with `--seed`. */

/** mulberry32: a tiny, fast PRNG with a 32-bit state; returns numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `count` distinct indexes from `0 … size-1`, chosen with `random` (a partial Fisher–Yates). */
export function sampleIndexes(size: number, count: number, random: () => number): number[] {
  const indexes = Array.from({ length: size }, (_, i) => i);
  const take = Math.min(count, size);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (size - i));
    [indexes[i], indexes[j]] = [indexes[j] as number, indexes[i] as number];
  }
  return indexes.slice(0, take);
}
