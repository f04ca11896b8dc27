/**
 * The start-rate yardstick: a workflow that does nothing but say it waits. Its first workflow
 * task marks it `WxLinkStatus = 'waiting'`, the same marker a link sets once its invitation is
 * out, and then it waits on a condition forever, as a waiting link does. So one visibility count
 * tells when either kind has got going, and the ratio of the two rates is the price of a link's
 * real work (the conflict check, the snapshot, the send).
 */
import { condition, upsertSearchAttributes } from '@temporalio/workflow';
import { LinkPhase, WxLinkStatus } from '../workflows/contract';

/** Marks itself waiting, then waits until terminated. */
export async function benchNoop(): Promise<void> {
  upsertSearchAttributes([{ key: WxLinkStatus, value: LinkPhase.Waiting }]);
  await condition(() => false);
}
