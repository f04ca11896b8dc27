/**
 * How soon a link workflow knows that its admins have finished, measured against the account's
 * `wxamplinkget` calls in the simulator's log. Three figures per link:
 *
 * - latency: from the final act to the workflow knowing (its transition to status 1);
 * - over interval: latency minus the gap between the account's last poll before the act and the
 *   first poll after it (the poll that saw it). A design that polls the account once per
 *   interval and tells the link at once scores about 0: what is left is the delay it adds on
 *   top of one poll gap;
 * - after the seeing poll: from that first poll after the act to the workflow knowing. Stricter:
 *   it counts every poll of the account, so a link that ignores its neighbours' polls (each
 *   link polling for itself) waits for its own.
 */

/** One link's final act and when its workflow knew. */
export interface DetectionSample {
  officialAccountAppId: string;
  finalActAtMs: number;
  knownAtMs: number;
}

/** The three figures for every link that could be measured. */
export interface DetectionFigures {
  latencyMs: number[];
  overIntervalMs: number[];
  afterSeeingPollMs: number[];
  /** Links with no poll of their account after the act (cannot be measured). */
  unmeasured: number;
}

/** Computes {@link DetectionFigures}; `pollTimes` are each account's `wxamplinkget` arrivals, ascending. */
export function detectionFigures(samples: readonly DetectionSample[], pollTimes: ReadonlyMap<string, readonly number[]>): DetectionFigures {
  const figures: DetectionFigures = { latencyMs: [], overIntervalMs: [], afterSeeingPollMs: [], unmeasured: 0 };
  for (const sample of samples) {
    const times = pollTimes.get(sample.officialAccountAppId) ?? [];
    const seeing = firstAtOrAfter(times, sample.finalActAtMs);
    const seenAt = times[seeing];
    if (seenAt === undefined) {
      figures.unmeasured += 1;
      continue;
    }
    // Before the first poll of the phase there is no earlier poll: the gap starts at the act.
    const before = times[seeing - 1] ?? sample.finalActAtMs;
    const latency = sample.knownAtMs - sample.finalActAtMs;
    figures.latencyMs.push(latency);
    figures.overIntervalMs.push(latency - (seenAt - before));
    figures.afterSeeingPollMs.push(sample.knownAtMs - seenAt);
  }
  return figures;
}

/** Index of the first time ≥ `t` in ascending `times` (`times.length` when none). */
function firstAtOrAfter(times: readonly number[], t: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((times[mid] as number) < t) low = mid + 1;
    else high = mid;
  }
  return low;
}
