/**
 * `listLinkedMiniPrograms`: one `wxamplinkget`, every field of every entry kept. A workflow (not a
 * bare API call) so that it shows in the Web UI and is retried like the rest.
 */
import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { WeChatFailureType, WxOfficialAccountAppId, type ListInput, type ListResult } from './contract';
import { inputOrFail } from './support/input-or-fail';
import { normalizeListInput } from './support/validate-input';

/** Lists the mini programs linked to (or pending with) an official account. */
export async function listLinkedMiniPrograms(rawInput: ListInput): Promise<ListResult> {
  const input = inputOrFail(normalizeListInput, rawInput);
  upsertSearchAttributes([{ key: WxOfficialAccountAppId, value: input.officialAccountAppId }]);
  // A short job: Temporal's own retry policy is enough; a definitive errcode fails the workflow
  // with that errcode in the failure's details.
  const { listLinkedMiniPrograms: list } = proxyActivities<Activities>({
    startToCloseTimeout: '30s',
    scheduleToCloseTimeout: input.timeoutMs,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', nonRetryableErrorTypes: [WeChatFailureType.Refused] },
  });
  const items = await list({ officialAccountAppId: input.officialAccountAppId });
  return { officialAccountAppId: input.officialAccountAppId, items };
}
