/**
 * Every WeChat call the simulator received during the run, kept compactly. The simulator keeps
 * only its last 10,000 records (simulator/call-log.ts), fewer than a scale run makes, so the
 * recorder drains its log often; both live in this process, so the drain (read, then clear) is
 * synchronous and no call can slip between the two.
 */
import type { CallEndpoint, WeChatSimulator } from '../simulator';

/** One recorded call: when it arrived, where, and for which account. */
export interface RecordedCall {
  atMs: number;
  endpoint: CallEndpoint;
  /** Null when the token was missing or unknown. */
  accountAppId: string | null;
}

/** Which calls {@link CallRecorder.select} returns; omitted fields match anything. */
export interface CallSelection {
  endpoint?: CallEndpoint;
  /** Only these accounts' calls. */
  accounts?: ReadonlySet<string>;
  /** Arrived at or after this time (epoch ms). */
  fromMs?: number;
  /** Arrived before this time (epoch ms). */
  toMs?: number;
}

/** Drains the simulator's call log every `everyMs` into an unbounded, compact record. */
export class CallRecorder {
  private readonly recorded: RecordedCall[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Records the simulator dropped before a drain reached them (its log overflowed). */
  lost = 0;

  constructor(
    private readonly simulator: WeChatSimulator,
    private readonly everyMs = 250,
  ) {}

  /** Starts draining (the log is cleared first: calls before now are not this run's). */
  start(): void {
    this.simulator.resetCalls();
    this.timer ??= setInterval(() => this.drain(), this.everyMs);
  }

  /** Drains one last time and stops. */
  stop(): void {
    this.drain();
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Moves what the simulator recorded since the last drain into this record. */
  drain(): void {
    const batch = this.simulator.calls();
    this.simulator.resetCalls();
    // resetCalls() numbers from 1 again, so a first seq above 1 means the log overflowed.
    const first = batch[0];
    if (first !== undefined && first.seq > 1) this.lost += first.seq - 1;
    for (const call of batch) this.recorded.push({ atMs: Date.parse(call.at), endpoint: call.endpoint, accountAppId: call.accountAppId });
  }

  /** The recorded calls that match `selection`, in order of arrival. */
  select(selection: CallSelection = {}): RecordedCall[] {
    this.drain();
    const { endpoint, accounts, fromMs = Number.NEGATIVE_INFINITY, toMs = Number.POSITIVE_INFINITY } = selection;
    return this.recorded.filter(
      (call) =>
        (endpoint === undefined || call.endpoint === endpoint) &&
        (accounts === undefined || (call.accountAppId !== null && accounts.has(call.accountAppId))) &&
        call.atMs >= fromMs &&
        call.atMs < toMs,
    );
  }

  /** Arrival times of the selected calls per account, ascending. */
  timesByAccount(selection: CallSelection = {}): Map<string, number[]> {
    const byAccount = new Map<string, number[]>();
    for (const call of this.select(selection)) {
      if (call.accountAppId === null) continue;
      let times = byAccount.get(call.accountAppId);
      if (times === undefined) byAccount.set(call.accountAppId, (times = []));
      times.push(call.atMs);
    }
    for (const times of byAccount.values()) times.sort((a, b) => a - b);
    return byAccount;
  }
}
