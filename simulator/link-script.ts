// How scripted admins move an entry along: pure functions over a small record, evaluated lazily
// (when the account is polled or its state is read) so that the simulator needs no timers and a
// test's outcome does not depend on when a timer happened to fire.
import { type RunningScriptSnapshot, type ScriptStep, type UnlinkTiming } from './sim-types';
import { SimulatorError, requireCount, requireMs } from './simulator-error';

/** A script in progress on one entry. Mutated in place by {@link notePoll} and {@link takeDueSteps}. */
export interface RunningScript {
  readonly kind: 'link' | 'unlink';
  readonly steps: readonly ScriptStep[];
  /** Index of the step being awaited; `steps.length` when the script is over. */
  index: number;
  /** When the awaited step's clock started (epoch ms). */
  clockStartMs: number;
  /** `wxamplinkget` calls counted since then. */
  pollsSinceClock: number;
}

/** Throws a {@link SimulatorError} naming the first invalid step field. */
export function validateSteps(steps: readonly ScriptStep[], field = 'steps'): void {
  // Typed callers always pass an array; plain-JS callers may not.
  const untyped: unknown = steps;
  if (!Array.isArray(untyped)) throw new SimulatorError(field, 'must be an array of steps');
  steps.forEach((step, i) => {
    requireCount(`${field}[${i}].afterPolls`, step.afterPolls);
    requireMs(`${field}[${i}].afterMs`, step.afterMs);
    if (step.then !== 'vanish' && !Number.isInteger(step.then)) {
      throw new SimulatorError(`${field}[${i}].then`, `must be an integer status or 'vanish', got ${JSON.stringify(step.then)}`);
    }
  });
}

/** The one-step script that makes an entry vanish {@link UnlinkTiming} after a successful `wxampunlink`. */
export function unlinkSteps(timing: UnlinkTiming): ScriptStep[] {
  requireCount('afterPolls', timing.afterPolls);
  requireMs('afterMs', timing.afterMs);
  return [{ ...timing, then: 'vanish' }];
}

/** A script whose first step's clock starts at `nowMs`. The steps are copied, so callers may reuse theirs. */
export function startScript(kind: 'link' | 'unlink', steps: readonly ScriptStep[], nowMs: number): RunningScript {
  return { kind, steps: steps.map((s) => ({ ...s })), index: 0, clockStartMs: nowMs, pollsSinceClock: 0 };
}

/** Whether every step has fired. */
export function isFinished(script: RunningScript): boolean {
  return script.index >= script.steps.length;
}

/** Counts one answered `wxamplinkget` of the account towards the awaited step. */
export function notePoll(script: RunningScript): void {
  if (!isFinished(script)) script.pollsSinceClock += 1;
}

/**
 * Fires every step that is due at `nowMs`, in order, and returns their `then` values. `atPoll`
 * says this evaluation is the start of a `wxamplinkget` (the poll itself is counted afterwards,
 * with {@link notePoll}, so `afterPolls: 1` shows the new status on the second poll: one poll
 * has seen the old one).
 *
 * A step without conditions fires at the start of the next `wxamplinkget` after the previous
 * step fired. A step that waits for time only is taken to have fired at its due time rather than
 * when someone looked, so a chain of `afterMs` steps keeps its rhythm however rarely the account
 * is polled; any other step fires "now".
 */
export function takeDueSteps(script: RunningScript, nowMs: number, atPoll: boolean): Array<ScriptStep['then']> {
  const fired: Array<ScriptStep['then']> = [];
  for (;;) {
    const step = script.steps[script.index];
    if (step === undefined) return fired;
    if (step.afterPolls === undefined && step.afterMs === undefined) {
      if (!atPoll || fired.length > 0) return fired;
    }
    const dueAtMs = script.clockStartMs + (step.afterMs ?? 0);
    if (script.pollsSinceClock < (step.afterPolls ?? 0) || nowMs < dueAtMs) return fired;
    const timeOnly = step.afterPolls === undefined && step.afterMs !== undefined;
    script.index += 1;
    script.clockStartMs = timeOnly ? dueAtMs : nowMs;
    script.pollsSinceClock = 0;
    fired.push(step.then);
    if (step.then === 'vanish') return fired;
  }
}

/** A JSON-friendly view of a running script. */
export function snapshotScript(script: RunningScript): RunningScriptSnapshot {
  return {
    kind: script.kind,
    remainingSteps: script.steps.slice(script.index).map((s) => ({ ...s })),
    clockStartedAt: new Date(script.clockStartMs).toISOString(),
    pollsSinceClock: script.pollsSinceClock,
  };
}

/**
 * The admins of `--auto-confirm`: each confirms once a poll has seen the entry waiting for them
 * (12 → 2 → 1), so a demo link completes within a few polls.
 */
export const AUTO_CONFIRM_SCRIPT: readonly ScriptStep[] = [
  { afterPolls: 1, then: 2 },
  { afterPolls: 1, then: 1 },
];
