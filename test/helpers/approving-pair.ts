/** A pair whose admins approve by themselves: the shape most tests start from. */
import { AUTO_CONFIRM_SCRIPT } from '../../simulator';
import type { LinkHarness } from './link-harness';

/** A fresh account and mini program whose admins approve at the first two polls after the send. */
export function approvingPair(h: LinkHarness): { oa: string; mp: string } {
  const oa = h.newAccount();
  const mp = h.newMiniProgram();
  h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
  return { oa, mp };
}
