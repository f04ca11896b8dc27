/** A seeded random source, so that a run's choices (who acts when) can be repeated with `--seed`. */

// The simulator's chaos mode already has a seeded generator (mulberry32): one implementation.
export { seededRandom } from '../simulator/chaos';

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
