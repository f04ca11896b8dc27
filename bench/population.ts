/**
 * Who takes part in a phase: official accounts, each with its mini programs to link, and when
 * each link's two admins act. Names carry the phase's prefix, so phases that share the simulator
 * never share an account and their calls never mix.
 */
import type { WeChatSimulator } from '../simulator';
import { seededRandom } from './random';

/** How many accounts and links. */
export interface PopulationSpec {
  accounts: number;
  linksPerAccount: number;
}

/** When the admins of every link act, counted from the phase's start. */
export interface ActTiming {
  /** The official-account admin acts after this plus up to {@link spreadMs}. */
  delayMs: number;
  /** Each admin acts uniformly within this long after the previous step. */
  spreadMs: number;
}

/** One link of a population. */
export interface PlannedLink {
  officialAccountAppId: string;
  miniProgramAppId: string;
  /** When the official-account admin confirms (12 → 2), ms after the phase start; null when nobody acts. */
  confirmAccountAfterMs: number | null;
  /** When the mini-program admin confirms (2 → 1), the final act; null when nobody acts. */
  confirmMiniProgramAfterMs: number | null;
}

/** A population: its accounts (with their simulator tokens once registered) and links. */
export interface Population {
  accounts: string[];
  links: PlannedLink[];
  /** Account appid → its access token in the simulator (filled by {@link registerPopulation}). */
  tokens: Map<string, string>;
}

/**
 * Plans a population named `<prefix>a<n>` (accounts) and `<prefix>a<n>m<k>` (mini programs).
 * The same `seed` gives the same act times whatever the prefix, so two kinds compared side by
 * side meet exactly the same admins.
 */
export function planPopulation(prefix: string, spec: PopulationSpec, acts: ActTiming | null, seed: number): Population {
  const random = seededRandom(seed);
  const accounts: string[] = [];
  const links: PlannedLink[] = [];
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  const accountWidth = String(spec.accounts).length;
  const linkWidth = String(spec.linksPerAccount).length;
  for (let a = 1; a <= spec.accounts; a++) {
    const account = `${prefix}a${pad(a, accountWidth)}`;
    accounts.push(account);
    for (let m = 1; m <= spec.linksPerAccount; m++) {
      const confirmAccount = acts === null ? null : acts.delayMs + random() * acts.spreadMs;
      const confirmMiniProgram = confirmAccount === null || acts === null ? null : confirmAccount + random() * acts.spreadMs;
      links.push({
        officialAccountAppId: account,
        miniProgramAppId: `${account}m${pad(m, linkWidth)}`,
        confirmAccountAfterMs: confirmAccount === null ? null : Math.round(confirmAccount),
        confirmMiniProgramAfterMs: confirmMiniProgram === null ? null : Math.round(confirmMiniProgram),
      });
    }
  }
  return { accounts, links, tokens: new Map() };
}

/** Registers the population's accounts in the simulator and records their tokens. */
export function registerPopulation(simulator: WeChatSimulator, population: Population): void {
  for (const appId of population.accounts) {
    population.tokens.set(appId, simulator.registerAccount({ appId }).accessToken);
  }
}

/** The population's accounts as a set, to select their calls. */
export function accountSet(population: Population): Set<string> {
  return new Set(population.accounts);
}
