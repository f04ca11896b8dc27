/**
 * Mixed link scenarios for the reliability suite: what each pair's admins (scripted in the
 * simulator) will do, the outcome that dictates, and how many accepted `wxamplink` calls it may
 * cost. A scenario's outcome must not depend on faults, crashes or timing, only on the admins.
 */
import { randomBytes } from 'node:crypto';
import type { LinkOutcome, LinkResult } from '../../../client';
import type { ScriptStep, WeChatSimulator } from '../../../simulator';

/** What happens to a pair on the WeChat side. */
export const PairScenario = {
  /** Both admins confirm: 12 → 2 → 1. */
  Approve: 'approve',
  /** The mini-program admin refuses: 12 → 2 → 3. */
  Refuse: 'refuse',
  /** The invitation lapses: listed at 12, then gone. */
  Expire: 'expire',
  /** An invitation was already pending (`wxamplink` answers 89010); then both confirm. */
  PreInvited: 'pre_invited',
  /** Approve, after a few scripted faults on both endpoints (-1, HTTP 502, garbage, 45011). */
  Transient: 'transient',
  /** The mini program is banned: `wxamplink` answers 89013. */
  Banned: 'banned',
} as const;
export type PairScenario = (typeof PairScenario)[keyof typeof PairScenario];

/** The outcome each scenario dictates. */
export const EXPECTED_OUTCOME: Readonly<Record<PairScenario, LinkOutcome>> = {
  approve: 'linked',
  refuse: 'rejected',
  expire: 'expired',
  pre_invited: 'linked',
  transient: 'linked',
  banned: 'refused',
};

/** Accepted `wxamplink` calls (errcode 0) each scenario needs: one invitation, or none when one was pending or the send is refused. */
export const EXPECTED_ACCEPTED_SENDS: Readonly<Record<PairScenario, number>> = {
  approve: 1,
  refuse: 1,
  expire: 1,
  pre_invited: 0,
  transient: 1,
  banned: 0,
};

/** One pair of the plan. */
export interface PlannedPair {
  oa: string;
  mp: string;
  scenario: PairScenario;
}

/**
 * The admins act only after polls of the account: poll-driven scripts never race the workflow,
 * and while a send's answer is lost (and retried) no poll happens, so the retry still meets a
 * pending invitation (89010). `polls` is how many polls each step waits for.
 */
function steps(scenario: PairScenario, polls: number): ScriptStep[] {
  switch (scenario) {
    case 'refuse':
      return [
        { afterPolls: polls, then: 2 },
        { afterPolls: polls, then: 3 },
      ];
    case 'expire':
      // Listed for 2×polls answers first, so that an answer or two lost to a crash cannot hide it.
      return [{ afterPolls: 2 * polls, then: 'vanish' }];
    default:
      return [
        { afterPolls: polls, then: 2 },
        { afterPolls: polls, then: 1 },
      ];
  }
}

/** Options of {@link planPairs}. */
export interface PlanOptions {
  /** Pairs per official account. With 1 (the default) every pair has its own account, so its script moves only with its own polls. */
  pairsPerAccount?: number;
  /** Polls per admin step. @default 2 */
  pollsPerStep?: number;
  /** Arrange scripted admins (the default), or leave them for the test to act by hand. */
  scripted?: boolean;
}

/**
 * Registers accounts and arranges `counts` pairs in the simulator, in an order shuffled by
 * `random`. Returns the pairs and the tokens for `WECHAT_ACCESS_TOKENS`.
 */
export function planPairs(
  sim: WeChatSimulator,
  counts: Partial<Record<PairScenario, number>>,
  random: () => number,
  options: PlanOptions = {},
): { pairs: PlannedPair[]; tokens: Record<string, string> } {
  const scenarios = Object.entries(counts).flatMap(([scenario, n]) => Array<PairScenario>(n ?? 0).fill(scenario as PairScenario));
  for (let i = scenarios.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [scenarios[i], scenarios[j]] = [scenarios[j] as PairScenario, scenarios[i] as PairScenario];
  }
  const perAccount = options.pairsPerAccount ?? 1;
  const tokens: Record<string, string> = {};
  const tag = randomBytes(3).toString('hex');
  let oa = '';
  const pairs = scenarios.map((scenario, i) => {
    if (i % perAccount === 0) {
      oa = `wxoa${tag}${String(i).padStart(6, '0')}`;
      tokens[oa] = sim.registerAccount({ appId: oa }).accessToken;
    }
    const pair: PlannedPair = { oa, mp: `wxmp${tag}${String(i).padStart(6, '0')}`, scenario };
    arrangePair(sim, pair, options);
    return pair;
  });
  return { pairs, tokens };
}

function arrangePair(sim: WeChatSimulator, { oa, mp, scenario }: PlannedPair, options: PlanOptions): void {
  const polls = options.pollsPerStep ?? 2;
  const scripted = options.scripted ?? true;
  switch (scenario) {
    case 'banned':
      sim.configureMiniProgram(mp, { linkErrcode: 89013 });
      return;
    case 'pre_invited':
      sim.seedEntry(oa, mp, { status: 12 });
      break;
    case 'transient':
      sim.injectFault({ accountAppId: oa, endpoint: 'wxamplink', errcode: -1 });
      sim.injectFault({ accountAppId: oa, endpoint: 'wxamplink', httpStatus: 502 });
      sim.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', rawBody: '{"errcode":0,"wxopens":{"ite' });
      sim.injectFault({ accountAppId: oa, endpoint: 'wxamplinkget', errcode: 45011 });
      break;
    default:
      break;
  }
  if (scripted) sim.scriptLink(oa, mp, steps(scenario, polls));
}

/** Per pair, the accepted `wxamplink` calls (errcode 0), and the sum of those beyond the first. */
export function acceptedSends(sim: WeChatSimulator, pairs: readonly PlannedPair[]): { byPair: Map<string, number>; duplicates: number } {
  const byPair = new Map<string, number>(pairs.map((p) => [p.mp, 0]));
  for (const call of sim.calls({ endpoint: 'wxamplink' })) {
    if (call.errcode === 0 && call.miniProgramAppId !== null && byPair.has(call.miniProgramAppId)) {
      byPair.set(call.miniProgramAppId, (byPair.get(call.miniProgramAppId) ?? 0) + 1);
    }
  }
  let duplicates = 0;
  for (const n of byPair.values()) duplicates += Math.max(0, n - 1);
  return { byPair, duplicates };
}

/** What a pair ended with: a result, or the error its workflow failed with. */
export type PairEnding = { result: LinkResult } | { error: string };

/**
 * Checks each pair's ending against its scenario: the outcome, a refusal's errcode, and the
 * number of accepted sends. Returns the problems, one line per wrong pair.
 */
export function checkEndings(
  sim: WeChatSimulator,
  pairs: readonly PlannedPair[],
  endings: readonly PairEnding[],
): { correct: number; problems: string[]; duplicates: number } {
  const sends = acceptedSends(sim, pairs);
  const problems: string[] = [];
  pairs.forEach((pair, i) => {
    const ending = endings[i];
    const accepted = sends.byPair.get(pair.mp) ?? 0;
    const wrong: string[] = [];
    if (ending === undefined || 'error' in ending) {
      wrong.push(`failed: ${ending?.error ?? 'no ending'}`);
    } else {
      const { result } = ending;
      if (result.outcome !== EXPECTED_OUTCOME[pair.scenario])
        wrong.push(
          `outcome ${result.outcome} (expected ${EXPECTED_OUTCOME[pair.scenario]}; errcode ${result.errcode ?? '-'}, lastError ${result.lastError?.message ?? '-'})`,
        );
      if (result.outcome === 'refused' && result.errcode !== 89013) wrong.push(`refused with errcode ${result.errcode ?? '-'}, not 89013`);
    }
    if (accepted !== EXPECTED_ACCEPTED_SENDS[pair.scenario]) wrong.push(`${accepted} accepted wxamplink (expected ${EXPECTED_ACCEPTED_SENDS[pair.scenario]})`);
    if (wrong.length > 0) problems.push(`${pair.scenario} ${pair.oa}/${pair.mp}: ${wrong.join('; ')}`);
  });
  return { correct: pairs.length - problems.length, problems, duplicates: sends.duplicates };
}

/** The ending of a workflow's result promise. */
export async function endingOf(result: Promise<LinkResult>): Promise<PairEnding> {
  try {
    return { result: await result };
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    return { error: `${error instanceof Error ? error.message : String(error)}${cause ? ` (${cause})` : ''}` };
  }
}
