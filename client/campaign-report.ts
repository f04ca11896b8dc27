/**
 * One line per pair of a campaign: the links it started (found by `WxCampaignId`), the links it
 * joined and the pairs it skipped (from its result, once it has ended).
 */
import type { Client } from '@temporalio/client';
import { getLinkState, type LinkResult } from '../workflows/contract';
import { campaignLinksQuery, getCampaignState, type CampaignResult } from '../workflows/campaign/campaign-contract';

/** One pair's line in a campaign report. */
export interface CampaignReportRow {
  officialAccountAppId: string;
  miniProgramAppId: string;
  /** The link's outcome, `waiting` while it runs, `skipped`, or how its workflow ended (`cancelled`, `failed`, `terminated`). */
  outcome: string;
  status: number | null;
  errcode: number | null;
  /** ISO-8601, or `null` while waiting or for a skipped pair. */
  finishedAt: string | null;
  /** Why a pair was skipped, or WeChat's errmsg. */
  note: string | null;
}

const LINK_ID = /^wxamp-link\/([^/]+)\/([^/]+)$/;
const CONCURRENCY = 16;

/**
 * Every pair of a campaign with its outcome. Links come from the visibility store (eventually
 * consistent: a link started a second ago may be missing); skipped and joined pairs come from the
 * campaign's result, so they are listed once the campaign has ended.
 */
export async function campaignReport(client: Client, campaignId: string): Promise<CampaignReportRow[]> {
  const handle = client.workflow.getHandle(campaignId);
  const description = await handle.describe();
  const result = description.status.name === 'COMPLETED' ? ((await handle.result()) as CampaignResult) : null;
  if (result === null) await handle.query(getCampaignState); // fails clearly when no worker answers
  const ids: string[] = [];
  for await (const info of client.workflow.list({ query: campaignLinksQuery(campaignId) })) ids.push(info.workflowId);
  for (const [oa, mp] of result?.joined ?? []) ids.push(`wxamp-link/${oa}/${mp}`);
  const rows = await mapPooled([...new Set(ids)], (id) => linkRow(client, id));
  for (const group of result?.skipped ?? []) {
    for (const [oa, mp] of group.pairs)
      rows.push({ officialAccountAppId: oa, miniProgramAppId: mp, outcome: 'skipped', status: null, errcode: null, finishedAt: null, note: group.reason });
  }
  return rows;
}

async function linkRow(client: Client, workflowId: string): Promise<CampaignReportRow> {
  const [, oa = '', mp = ''] = LINK_ID.exec(workflowId) ?? [];
  const handle = client.workflow.getHandle(workflowId);
  const description = await handle.describe();
  const base = { officialAccountAppId: oa, miniProgramAppId: mp, finishedAt: description.closeTime?.toISOString() ?? null };
  switch (description.status.name) {
    case 'COMPLETED': {
      const r = (await handle.result()) as LinkResult;
      return { ...base, outcome: r.outcome, status: r.status, errcode: r.errcode ?? null, note: r.errmsg ?? null };
    }
    case 'RUNNING': {
      const state = await handle.query(getLinkState).catch(() => null);
      return { ...base, outcome: 'waiting', status: state?.status ?? null, errcode: null, note: state?.lastError?.message ?? null };
    }
    default:
      return { ...base, outcome: description.status.name.toLowerCase(), status: null, errcode: null, note: null };
  }
}

async function mapPooled<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return out;
}
