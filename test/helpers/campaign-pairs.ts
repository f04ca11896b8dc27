/** Pairs for campaign tests: fresh accounts and mini programs whose admins both confirm. */
import { AUTO_CONFIRM_SCRIPT } from '../../simulator';
import type { CampaignPair } from '../../workflows/campaign/campaign-contract';
import type { LinkHarness } from './link-harness';

/** `accounts` × `miniPrograms` pairs, each scripted so that both admins confirm. */
export function confirmedPairs(h: LinkHarness, accounts: number, miniPrograms: number): CampaignPair[] {
  const pairs: CampaignPair[] = [];
  const mps = Array.from({ length: miniPrograms }, () => h.newMiniProgram());
  for (let a = 0; a < accounts; a++) {
    const oa = h.newAccount();
    for (const mp of mps) {
      h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
      pairs.push({ officialAccountAppId: oa, miniProgramAppId: mp });
    }
  }
  return pairs;
}
