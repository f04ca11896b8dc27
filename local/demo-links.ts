/**
 * The demo that `npm start` runs: three links on the local stack, each showing one ending —
 * approved by simulated admins, waiting for the reader to play the admins, refused by WeChat —
 * with a line printed whenever one of them changes.
 */
import { randomBytes } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import type { WxampLinkClient } from '../client';
import type { LinkState } from '../workflows/contract';
import type { WeChatSimulator } from '../simulator';

/** One demo link and what it shows. */
export interface DemoLink {
  officialAccountAppId: string;
  miniProgramAppId: string;
  story: string;
}

const DEMO_POLLING = { pollInterval: '2s', maxPollInterval: '10s', timeout: '1h' } as const;

/** Sets the simulated admins up and starts the demo links. */
export async function startDemoLinks(links: WxampLinkClient, simulator: WeChatSimulator, officialAccountAppId: string): Promise<DemoLink[]> {
  // Fresh mini programs each run, so a kept database never joins last run's workflows.
  const run = randomBytes(3).toString('hex');
  const approved = `wxdemo${run}approved`;
  const yours = `wxdemo${run}yourturn`;
  const banned = `wxdemo${run}banned`;

  simulator.configureMiniProgram(approved, { nickname: 'Demo Café' });
  simulator.scriptLink(officialAccountAppId, approved, [
    { afterMs: 6_000, then: 2 },
    { afterMs: 6_000, then: 1 },
  ]);
  simulator.configureMiniProgram(yours, { nickname: 'Demo Bookshop' });
  simulator.configureMiniProgram(banned, { nickname: 'Demo Banned Shop', linkErrcode: 89013 });

  const demo: DemoLink[] = [
    { officialAccountAppId, miniProgramAppId: approved, story: 'the simulated admins approve it within ~15 s' },
    { officialAccountAppId, miniProgramAppId: yours, story: 'waits for you to play the two admins in the admin page' },
    { officialAccountAppId, miniProgramAppId: banned, story: 'WeChat refuses it: the mini program is banned (89013)' },
  ];
  for (const link of demo) {
    await links.link({ officialAccountAppId, miniProgramAppId: link.miniProgramAppId, showProfile: true, ...DEMO_POLLING });
  }
  return demo;
}

/** Prints a line whenever a demo link's phase, status or outcome changes; stops when `signal` aborts. */
export async function watchDemoLinks(links: WxampLinkClient, demo: DemoLink[], signal: AbortSignal): Promise<void> {
  const last = new Map<string, string>();
  while (!signal.aborted) {
    for (const link of demo) {
      const line = await describe(links, link);
      if (last.get(link.miniProgramAppId) !== line) {
        last.set(link.miniProgramAppId, line);
        console.log(`  ${new Date().toLocaleTimeString()}  ${link.miniProgramAppId}: ${line}`);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

async function describe(links: WxampLinkClient, link: DemoLink): Promise<string> {
  let state: LinkState;
  try {
    state = await links.getState(link.officialAccountAppId, link.miniProgramAppId);
  } catch (error) {
    return error instanceof WorkflowFailedError ? `failed: ${error.message}` : 'not answering yet';
  }
  if (state.outcome) {
    return `${state.outcome}${state.errcode !== null ? ` (errcode ${state.errcode}: ${state.errmsg ?? ''})` : ''} after ${state.polls} polls`;
  }
  const status = state.status === null ? '' : `, status ${state.status} — ${state.statusMeaning ?? ''}`;
  return `${state.phase}${status}${state.lastError ? `, last error: ${state.lastError.message}` : ''}`;
}
