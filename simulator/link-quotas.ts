// WeChat's limits on links, as campaigns meet them: a mini program may be invited a number of
// times per calendar month (89007) and be linked to a number of accounts (89009); an account may
// send a number of invitations per month (89016) and hold a number of linked mini programs
// (89017). Counted per invitation sent from the moment a limit is set, the monthly count reset at
// each new month of the simulator's clock.

/** Input of `setLinkQuota`: one mini program's or one account's limits; `null` removes a limit. */
export interface LinkQuotaOptions {
  /** The mini program the limits apply to (89007, 89009). */
  miniProgramAppId?: string;
  /** The official account the limits apply to (89016, 89017). */
  accountAppId?: string;
  /** Invitations per calendar month: then 89007 (mini program) or 89016 (account). */
  monthly?: number | null;
  /** Invitations ever: then 89009 (mini program) or 89017 (account). */
  total?: number | null;
}

interface Quota {
  monthly: number | null;
  total: number | null;
  month: string;
  usedThisMonth: number;
  usedTotal: number;
}

const monthOf = (ms: number): string => new Date(ms).toISOString().slice(0, 7);

/** The limits and what has been used of them. */
export class LinkQuotas {
  private readonly miniPrograms = new Map<string, Quota>();
  private readonly accounts = new Map<string, Quota>();

  /** Sets (or clears) limits; what was used so far is kept. */
  set(options: LinkQuotaOptions, nowMs: number): void {
    const targets: Array<[Map<string, Quota>, string]> = [];
    if (options.miniProgramAppId !== undefined) targets.push([this.miniPrograms, options.miniProgramAppId]);
    if (options.accountAppId !== undefined) targets.push([this.accounts, options.accountAppId]);
    if (targets.length !== 1) throw new RangeError('setLinkQuota: name exactly one of miniProgramAppId and accountAppId');
    for (const [map, id] of targets) {
      const quota = map.get(id) ?? { monthly: null, total: null, month: monthOf(nowMs), usedThisMonth: 0, usedTotal: 0 };
      if (options.monthly !== undefined) quota.monthly = options.monthly;
      if (options.total !== undefined) quota.total = options.total;
      map.set(id, quota);
    }
  }

  /** The errcode that refuses an invitation of `miniProgramAppId` by `accountAppId` now, or null. */
  refusal(accountAppId: string, miniProgramAppId: string, nowMs: number): number | null {
    const mp = this.current(this.miniPrograms, miniProgramAppId, nowMs);
    if (mp && mp.monthly !== null && mp.usedThisMonth >= mp.monthly) return 89007;
    if (mp && mp.total !== null && mp.usedTotal >= mp.total) return 89009;
    const oa = this.current(this.accounts, accountAppId, nowMs);
    if (oa && oa.monthly !== null && oa.usedThisMonth >= oa.monthly) return 89016;
    if (oa && oa.total !== null && oa.usedTotal >= oa.total) return 89017;
    return null;
  }

  /** Counts one invitation sent. */
  use(accountAppId: string, miniProgramAppId: string, nowMs: number): void {
    for (const quota of [this.current(this.miniPrograms, miniProgramAppId, nowMs), this.current(this.accounts, accountAppId, nowMs)]) {
      if (!quota) continue;
      quota.usedThisMonth++;
      quota.usedTotal++;
    }
  }

  /** Forgets every limit. */
  clear(): void {
    this.miniPrograms.clear();
    this.accounts.clear();
  }

  private current(map: Map<string, Quota>, id: string, nowMs: number): Quota | undefined {
    const quota = map.get(id);
    if (quota && quota.month !== monthOf(nowMs)) {
      quota.month = monthOf(nowMs);
      quota.usedThisMonth = 0;
    }
    return quota;
  }
}

/** Admins who act at random times: `afterMs` drawn between `minMs` and `maxMs`, a share refusing. */
export interface RandomAdmins {
  minMs: number;
  maxMs: number;
  /** The share of mini-program admins who refuse (status 3). @default 0 */
  refuseShare?: number;
  /** The share of invitations that lapse (the entry vanishes). @default 0 */
  lapseShare?: number;
  /** Seed of the draws, so a run can be repeated. @default 1 */
  seed?: number;
}

/** A seeded generator of admin scripts (mulberry32), for entries created without one. */
export function randomAdminScripts(admins: RandomAdmins): () => Array<{ afterMs: number; then: number | 'vanish' }> {
  let seed = admins.seed ?? 1;
  const next = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const wait = (): number => Math.round(admins.minMs + next() * (admins.maxMs - admins.minMs));
  return () => {
    const draw = next();
    if (draw < (admins.lapseShare ?? 0)) return [{ afterMs: wait(), then: 'vanish' }];
    const last = draw < (admins.lapseShare ?? 0) + (admins.refuseShare ?? 0) ? 3 : 1;
    return [
      { afterMs: wait(), then: 2 },
      { afterMs: wait(), then: last },
    ];
  };
}
