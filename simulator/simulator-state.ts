// The simulator's whole world in memory: accounts, mini programs, link entries, admin scripts,
// faults and the call log. No I/O and no timers: scripts are advanced lazily whenever an
// account's entries are polled or read, against an injectable clock, so unit tests stay exact.
import { CallLog, type CallStart } from './call-log';
import { CredentialModel, type CredentialModelOptions } from './credential-model';
import { FaultQueue, type FaultTarget } from './fault-queue';
import { type Entry, EntryBook, applyAction, isPending } from './entry-book';
import { snapshotScript, startScript, unlinkSteps, validateSteps } from './link-script';
import { MiniProgramRegistry, renderItem } from './mini-programs';
import { LinkQuotas, randomAdminScripts, type LinkQuotaOptions, type RandomAdmins } from './link-quotas';
import {
  type CallFilter,
  type CallRecord,
  type EntrySnapshot,
  EntryStatus,
  type FaultSnapshot,
  type FaultSpec,
  type LinkAction,
  type MiniProgramOptions,
  type MiniProgramSnapshot,
  type ScriptStep,
  type SeedEntryOptions,
  type SimulatorSnapshot,
  type UnlinkTiming,
  type WeChatAnswer,
  type WxOpenItem,
} from './sim-types';
import { SimulatorError, requireId } from './simulator-error';
import { weChatError, weChatOk } from './wechat-errors';

/** Options of {@link SimulatorState}. */
export interface SimulatorStateOptions extends CredentialModelOptions {
  /** The clock scripts, tokens and the call log use. @default Date.now */
  now?: () => number;
  /** Script for entries that `wxamplink` creates without an explicit one. @default none: admins never act */
  defaultScript?: readonly ScriptStep[];
  /** Admins who act at random times on entries created without a script (instead of `defaultScript`). */
  randomAdmins?: RandomAdmins;
}

/** Where {@link SimulatorState.scriptLink} put a script: on the live entry now, or waiting for the next one. */
export type ScriptPlacement = 'running' | 'armed';

/** A validated `wxamplink` request. */
export interface LinkRequest {
  appid: string;
  notifyUsers: boolean;
  showProfile: boolean;
}

/**
 * The in-memory model behind the simulator's WeChat endpoints and control API: accounts, platforms
 * and tokens come from {@link CredentialModel}; entries, scripts, faults and calls live here.
 */
export class SimulatorState extends CredentialModel {
  private readonly miniPrograms = new MiniProgramRegistry();
  private readonly book = new EntryBook();
  private readonly faults = new FaultQueue();
  private readonly log: CallLog;
  private readonly defaultScript: readonly ScriptStep[];
  private readonly quotas = new LinkQuotas();
  private readonly randomScript: (() => ScriptStep[]) | null;

  constructor(options: SimulatorStateOptions = {}) {
    super(options);
    this.log = new CallLog(this.now);
    validateSteps(options.defaultScript ?? [], 'defaultScript');
    this.defaultScript = (options.defaultScript ?? []).map((s) => ({ ...s }));
    this.randomScript = options.randomAdmins ? randomAdminScripts(options.randomAdmins) : null;
  }

  /** Sets a mini program's or an account's link limits (89007, 89009, 89016, 89017). */
  setLinkQuota(options: LinkQuotaOptions): void {
    this.quotas.set(options, this.now());
  }

  // ---- mini programs ----

  /** Configures a mini program (names, `wxamplink` refusal, nearby / store flags); returns its configuration. */
  configureMiniProgram(appid: string, options: MiniProgramOptions = {}): MiniProgramSnapshot {
    return this.miniPrograms.configure(appid, options);
  }

  // ---- entries, scripts, admin actions ----

  /** Puts an entry in place directly (replacing any), without a script; returns its item. */
  seedEntry(accountAppId: string, miniProgramAppId: string, options: SeedEntryOptions): WxOpenItem {
    this.accounts.require(accountAppId);
    requireId('miniProgramAppId', miniProgramAppId);
    const { status, unlinkPending, ...overrides } = options;
    if (!Number.isInteger(status)) throw new SimulatorError('status', 'must be an integer');
    if (unlinkPending === true && status !== EntryStatus.Linked) {
      throw new SimulatorError('unlinkPending', 'only a linked entry (status 1) can have an unlink pending');
    }
    const entry: Entry = { miniProgramAppId, status, unlinkPending: unlinkPending ?? false, notifyUsers: null, overrides, script: null };
    this.book.put(accountAppId, entry);
    return this.render(accountAppId, entry);
  }

  /**
   * Scripts the admins' answers to a link. On a live entry (any status but 3) the script starts
   * now; otherwise it waits for the `wxamplink` that creates the next entry. An empty list
   * removes the running or waiting script.
   */
  scriptLink(accountAppId: string, miniProgramAppId: string, steps: readonly ScriptStep[]): ScriptPlacement {
    this.accounts.require(accountAppId);
    requireId('miniProgramAppId', miniProgramAppId);
    validateSteps(steps);
    const entry = this.advance(accountAppId, false).get(miniProgramAppId);
    if (entry !== undefined && entry.status !== EntryStatus.RefusedByMiniProgramAdmin) {
      entry.script = steps.length > 0 ? startScript('link', steps, this.now()) : null;
      return 'running';
    }
    this.book.arm('link', accountAppId, miniProgramAppId, steps);
    return 'armed';
  }

  /** Makes the entry vanish `timing` after `wxampunlink` succeeds (now, if an unlink is already pending). */
  scriptUnlink(accountAppId: string, miniProgramAppId: string, timing: UnlinkTiming = {}): ScriptPlacement {
    this.accounts.require(accountAppId);
    requireId('miniProgramAppId', miniProgramAppId);
    const steps = unlinkSteps(timing);
    const entry = this.advance(accountAppId, false).get(miniProgramAppId);
    if (entry?.unlinkPending === true) {
      entry.script = startScript('unlink', steps, this.now());
      return 'running';
    }
    this.book.arm('unlink', accountAppId, miniProgramAppId, steps);
    return 'armed';
  }

  /** Performs an admin action on an entry; returns the item afterwards, or null when it vanished. */
  act(accountAppId: string, miniProgramAppId: string, action: LinkAction): WxOpenItem | null {
    this.accounts.require(accountAppId);
    requireId('miniProgramAppId', miniProgramAppId);
    const entries = this.advance(accountAppId, false);
    const entry = entries.get(miniProgramAppId);
    if (entry === undefined) {
      throw new SimulatorError('miniProgramAppId', `account ${accountAppId} has no entry for ${miniProgramAppId}`);
    }
    if (applyAction(entry, action) === 'remove') {
      entries.delete(miniProgramAppId);
      return null;
    }
    return this.render(accountAppId, entry);
  }

  /** The account's entries as `wxamplinkget` would show them now (time-based steps applied, no poll counted). */
  entries(accountAppId: string): WxOpenItem[] {
    this.accounts.require(accountAppId);
    return [...this.advance(accountAppId, false).values()].map((e) => this.render(accountAppId, e));
  }

  // ---- faults and calls ----

  /** Adds a fault at the end of the FIFO; each matching WeChat call consumes one of its `times`. */
  injectFault(spec: FaultSpec): FaultSnapshot {
    return this.faults.add(spec);
  }

  /** Removes every fault not used up yet. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** The recorded WeChat-side calls matching `filter`, oldest first (tokens masked). */
  calls(filter?: CallFilter): CallRecord[] {
    return this.log.list(filter);
  }

  /** How many recorded calls match `filter`. */
  countCalls(filter?: CallFilter): number {
    return this.log.count(filter);
  }

  /** Forgets the recorded calls. */
  resetCalls(): void {
    this.log.clear();
  }

  /** Forgets everything: accounts, platforms, tokens, mini programs, entries, scripts, faults and calls. */
  reset(): void {
    this.clearCredentials();
    this.miniPrograms.clear();
    this.book.clear();
    this.faults.clear();
    this.log.clear();
    this.quotas.clear();
  }

  /** Everything the simulator holds, tokens left out; time-based steps are applied first. */
  snapshot(): SimulatorSnapshot {
    const entries: EntrySnapshot[] = [];
    for (const { appId } of this.accounts.list()) {
      for (const e of this.advance(appId, false).values()) {
        entries.push({
          accountAppId: appId,
          miniProgramAppId: e.miniProgramAppId,
          status: e.status,
          unlinkPending: e.unlinkPending,
          notifyUsers: e.notifyUsers,
          item: this.render(appId, e),
          script: e.script ? snapshotScript(e.script) : null,
        });
      }
    }
    return {
      accounts: this.accounts.list(),
      miniPrograms: this.miniPrograms.list(),
      entries,
      armedScripts: this.book.listArmed(),
      faults: this.faults.list(),
      counts: this.log.counts(),
    };
  }

  // ---- the WeChat side, used by the endpoints ----

  /** Consumes one use of the first fault matching the call, if any. */
  takeFault(target: FaultTarget): FaultSnapshot | null {
    return this.faults.take(target);
  }

  /** Records an arriving call; see {@link CallLog.begin}. */
  beginCall(start: CallStart): CallRecord {
    return this.log.begin(start);
  }

  /** Completes a call record with its answer. */
  finishCall(record: CallRecord, answer: { httpStatus: number; errcode: number | null; faulted: boolean }): void {
    this.log.finish(record, answer);
  }

  /** `wxamplinkget`: fires the steps now due, lists the account's entries, and counts the poll. */
  pollLinks(accountAppId: string): WxOpenItem[] {
    const items = [...this.advance(accountAppId, true).values()].map((e) => this.render(accountAppId, e));
    this.book.notePoll(accountAppId);
    return items;
  }

  /** `wxamplink`: refuses, or creates the entry with status 12 and starts its script. */
  requestLink(accountAppId: string, request: LinkRequest): WeChatAnswer {
    const entries = this.advance(accountAppId, false);
    const mp = this.miniPrograms.get(request.appid);
    if (mp.linkErrcode !== null) return weChatError(mp.linkErrcode, mp.linkErrmsg ?? undefined);
    const existing = entries.get(request.appid);
    if (existing?.status === EntryStatus.Linked) return weChatError(89015);
    // A refused entry (3) may be invited again; any other status still waits for an admin.
    if (existing !== undefined && isPending(existing.status)) return weChatError(89010);
    const quotaRefusal = this.quotas.refusal(accountAppId, request.appid, this.now());
    if (quotaRefusal !== null) return weChatError(quotaRefusal);
    this.quotas.use(accountAppId, request.appid, this.now());
    const steps = this.book.takeArmed('link', accountAppId, request.appid) ?? this.randomScript?.() ?? this.defaultScript;
    this.book.put(accountAppId, {
      miniProgramAppId: request.appid,
      status: EntryStatus.WaitingForAccountAdmin,
      unlinkPending: false,
      notifyUsers: request.notifyUsers,
      overrides: { selected: request.showProfile ? 1 : 0 },
      script: steps.length > 0 ? startScript('link', steps, this.now()) : null,
    });
    return weChatOk();
  }

  /** `wxampunlink`: refuses, or marks the unlink pending until it is confirmed. */
  requestUnlink(accountAppId: string, miniProgramAppId: string): WeChatAnswer {
    const entry = this.advance(accountAppId, false).get(miniProgramAppId);
    if (entry === undefined || entry.status !== EntryStatus.Linked) return weChatError(89014);
    const mp = this.miniPrograms.get(miniProgramAppId);
    if (this.render(accountAppId, entry).nearby_display_status === 1) return weChatError(89011);
    if (mp.store) return weChatError(89012);
    if (entry.unlinkPending) return weChatError(89018);
    entry.unlinkPending = true;
    const steps = this.book.takeArmed('unlink', accountAppId, miniProgramAppId);
    if (steps !== undefined) entry.script = startScript('unlink', steps, this.now());
    return weChatOk();
  }

  // ---- internals ----

  /** The account's entries with due steps fired; `atPoll` at the start of a `wxamplinkget`. */
  private advance(accountAppId: string, atPoll: boolean): Map<string, Entry> {
    return this.book.advance(accountAppId, this.now(), atPoll);
  }

  private render(accountAppId: string, entry: Entry): WxOpenItem {
    return renderItem(entry, this.miniPrograms.get(entry.miniProgramAppId), this.accounts.includesAppId(accountAppId));
  }
}
