// The link entries of every account, the scripts waiting for an entry, and the one place where
// due script steps are applied, so that every reader of an entry sees it already advanced.
import { type RunningScript, isFinished, notePoll, takeDueSteps } from './link-script';
import { type ArmedScriptSnapshot, EntryStatus, type ItemOverrides, type LinkAction, type ScriptStep } from './sim-types';
import { SimulatorError } from './simulator-error';

/** One (account, mini program) entry with the simulator's bookkeeping. */
export interface Entry {
  readonly miniProgramAppId: string;
  status: number;
  /** `wxampunlink` succeeded and waits for the account admin. */
  unlinkPending: boolean;
  /** `notify_users` of the `wxamplink` that created it; null for seeded entries. */
  notifyUsers: boolean | null;
  /** Item fields seeded or set at link time (`selected`). */
  overrides: ItemOverrides;
  script: RunningScript | null;
}

/** Whether a link scripted or acted upon is still waiting for someone (neither linked nor refused). */
export function isPending(status: number): boolean {
  return status !== EntryStatus.Linked && status !== EntryStatus.RefusedByMiniProgramAdmin;
}

/** Sets an entry's status; an unlink can only stay pending on a linked entry. */
export function setStatus(entry: Entry, status: number): void {
  entry.status = status;
  if (status !== EntryStatus.Linked) entry.unlinkPending = false;
}

/**
 * Applies an admin action to `entry`; answers `'remove'` when the entry is to disappear.
 * Throws a {@link SimulatorError} for an action that does not apply to the entry's status.
 */
export function applyAction(entry: Entry, action: LinkAction): 'keep' | 'remove' {
  const need = (ok: boolean, what: string): void => {
    if (ok) return;
    const unlink = entry.unlinkPending ? ' with an unlink pending' : '';
    throw new SimulatorError('action', `${JSON.stringify(action)} needs ${what}; the entry has status ${entry.status}${unlink}`);
  };
  switch (action) {
    case 'confirm-account':
      need(entry.status === EntryStatus.WaitingForAccountAdmin, 'status 12');
      setStatus(entry, EntryStatus.WaitingForMiniProgramAdmin);
      return 'keep';
    case 'confirm-mini-program':
      need(entry.status === EntryStatus.WaitingForMiniProgramAdmin, 'status 2');
      setStatus(entry, EntryStatus.Linked);
      return 'keep';
    case 'refuse':
      need(isPending(entry.status), 'a pending entry (status other than 1 and 3)');
      setStatus(entry, EntryStatus.RefusedByMiniProgramAdmin);
      return 'keep';
    case 'vanish':
      return 'remove';
    case 'confirm-unlink':
      need(entry.unlinkPending, 'an unlink pending');
      return 'remove';
    default:
      // Also reached by untyped callers (the control API validates, plain JS may not).
      if (typeof action === 'object' && action !== null && Number.isInteger(action.setStatus)) {
        setStatus(entry, action.setStatus);
        return 'keep';
      }
      throw new SimulatorError('action', "must be 'confirm-account', 'confirm-mini-program', 'refuse', 'vanish', 'confirm-unlink' or { setStatus: <integer> }");
  }
}

/** Entries per account (in insertion order, as WeChat lists them) and armed scripts. */
export class EntryBook {
  private readonly byAccount = new Map<string, Map<string, Entry>>();
  private readonly armed = new Map<string, ArmedScriptSnapshot>();

  /**
   * The account's entries after firing every step due at `nowMs`. Every read of entries goes
   * through here; `atPoll` marks the start of a `wxamplinkget` (see {@link takeDueSteps}).
   */
  advance(accountAppId: string, nowMs: number, atPoll: boolean): Map<string, Entry> {
    const entries = this.entriesOf(accountAppId);
    for (const entry of entries.values()) {
      if (entry.script === null) continue;
      for (const then of takeDueSteps(entry.script, nowMs, atPoll)) {
        if (then === 'vanish') entries.delete(entry.miniProgramAppId);
        else setStatus(entry, then);
      }
      if (isFinished(entry.script)) entry.script = null;
    }
    return entries;
  }

  /** Counts an answered `wxamplinkget` towards the running scripts of the account's entries. */
  notePoll(accountAppId: string): void {
    for (const entry of this.entriesOf(accountAppId).values()) {
      if (entry.script !== null) notePoll(entry.script);
    }
  }

  /** The accounts that have (or had) entries. */
  accounts(): string[] {
    return [...this.byAccount.keys()];
  }

  /** Replaces the entry; re-inserting moves it to the end, where the newest entry is listed. */
  put(accountAppId: string, entry: Entry): void {
    const entries = this.entriesOf(accountAppId);
    entries.delete(entry.miniProgramAppId);
    entries.set(entry.miniProgramAppId, entry);
  }

  /** Keeps a script until {@link EntryBook.takeArmed} claims it; empty `steps` disarm. */
  arm(kind: 'link' | 'unlink', accountAppId: string, miniProgramAppId: string, steps: readonly ScriptStep[]): void {
    const key = JSON.stringify([kind, accountAppId, miniProgramAppId]);
    if (steps.length === 0) this.armed.delete(key);
    else this.armed.set(key, { kind, accountAppId, miniProgramAppId, steps: steps.map((s) => ({ ...s })) });
  }

  /** Removes and returns the armed script of that kind for the pair, if any. */
  takeArmed(kind: 'link' | 'unlink', accountAppId: string, miniProgramAppId: string): ScriptStep[] | undefined {
    const key = JSON.stringify([kind, accountAppId, miniProgramAppId]);
    const armed = this.armed.get(key);
    this.armed.delete(key);
    return armed?.steps;
  }

  /** Copies of the armed scripts. */
  listArmed(): ArmedScriptSnapshot[] {
    return [...this.armed.values()].map((a) => ({ ...a, steps: a.steps.map((s) => ({ ...s })) }));
  }

  /** Forgets every entry and armed script. */
  clear(): void {
    this.byAccount.clear();
    this.armed.clear();
  }

  private entriesOf(accountAppId: string): Map<string, Entry> {
    let entries = this.byAccount.get(accountAppId);
    if (entries === undefined) {
      entries = new Map();
      this.byAccount.set(accountAppId, entries);
    }
    return entries;
  }
}
