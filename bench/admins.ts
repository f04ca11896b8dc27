/**
 * The two admins of every link, played in this process at their planned times: the official-
 * account admin confirms (12 → 2), later the mini-program admin confirms (2 → 1). The acts go
 * straight to the simulator's model (`act`), so the time of the final act is known to the
 * millisecond, on the same clock as the simulator's call log.
 */
import type { WeChatSimulator } from '../simulator';
import type { PlannedLink } from './population';

/** How long an act keeps being retried while the link has not sent its invitation yet. */
const ACT_RETRY_MS = 250;
const ACT_RETRIES = 240;

/** The admins of a phase at work. */
export interface AdminRun {
  /** Mini-program appid → epoch ms of the final act (the mini-program admin's confirmation). */
  finalActAtMs: ReadonlyMap<string, number>;
  /** Acts that could not be done (the entry never appeared), one line each. */
  failures: readonly string[];
  /** Resolves once every planned act was done or given up. */
  done: Promise<void>;
  /** Stops acting (pending acts are dropped). */
  cancel(): void;
}

/** Plays the admins of `links`, timed from `phaseStartMs`. */
export function runAdmins(simulator: WeChatSimulator, links: readonly PlannedLink[], phaseStartMs: number): AdminRun {
  const finalActAtMs = new Map<string, number>();
  const failures: string[] = [];
  // Each pending wait with its resolve, so that cancel() ends the waits instead of stranding them.
  const timers = new Map<NodeJS.Timeout, () => void>();
  let cancelled = false;

  const at = (epochMs: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          resolve();
        },
        Math.max(0, epochMs - Date.now()),
      );
      timers.set(timer, resolve);
    });

  /** Acts, retrying while the entry does not exist yet (the link may still be sending). */
  const act = async (link: PlannedLink, action: 'confirm-account' | 'confirm-mini-program'): Promise<number | null> => {
    for (let attempt = 0; attempt < ACT_RETRIES && !cancelled; attempt++) {
      try {
        simulator.act(link.officialAccountAppId, link.miniProgramAppId, action);
        return Date.now();
      } catch {
        await at(Date.now() + ACT_RETRY_MS);
      }
    }
    if (!cancelled) failures.push(`${action} ${link.officialAccountAppId}/${link.miniProgramAppId}: the entry never became ready`);
    return null;
  };

  const play = async (link: PlannedLink): Promise<void> => {
    if (link.confirmAccountAfterMs === null || link.confirmMiniProgramAfterMs === null) return;
    await at(phaseStartMs + link.confirmAccountAfterMs);
    if (cancelled || (await act(link, 'confirm-account')) === null) return;
    await at(phaseStartMs + link.confirmMiniProgramAfterMs);
    if (cancelled) return;
    const actedAt = await act(link, 'confirm-mini-program');
    if (actedAt !== null) finalActAtMs.set(link.miniProgramAppId, actedAt);
  };

  const done = Promise.all(links.map(play)).then(() => undefined);
  return {
    finalActAtMs,
    failures,
    done,
    cancel() {
      cancelled = true;
      for (const [timer, resolve] of timers) {
        clearTimeout(timer);
        resolve();
      }
      timers.clear();
    },
  };
}
