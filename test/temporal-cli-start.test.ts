/**
 * A link started without Node: docs/other-languages.md's `temporal workflow start` command, run as
 * written with the real Temporal CLI against the test server (only the appids, the task queue and
 * the polling pace are the test's own). The workflow validates its input and sets its search
 * attributes by itself, and what `temporal workflow query` and `temporal workflow result` print
 * passes the JSON Schemas of schemas/.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findOrInstallTemporalCli } from '../local/temporal-cli';
import { AUTO_CONFIRM_SCRIPT } from '../simulator';
import { linkWorkflowId, WorkflowType, WxLinkStatus, WxMiniProgramAppId, WxOfficialAccountAppId } from '../workflows/contract';
import { schemaProblems } from './helpers/committed-schemas';
import { documentedStarts } from './helpers/documented-examples';
import { FAST, startLinkHarness, type LinkHarness } from './helpers/link-harness';

const run = promisify(execFile);

let h: LinkHarness;
let temporalCli: string;
beforeAll(async () => {
  h = await startLinkHarness();
  temporalCli = await findOrInstallTemporalCli({ log: (line) => process.stderr.write(`${line}\n`) });
});
afterAll(async () => {
  await h?.close();
});

/** Runs the Temporal CLI against the test server; resolves with what it printed on stdout. */
async function temporal(args: readonly string[]): Promise<string> {
  const address = process.env.TEMPORAL_TEST_ADDRESS ?? '';
  const { stdout } = await run(temporalCli, [...args, '--address', address, '--namespace', 'default', '--color', 'never'], { timeout: 30_000 });
  return stdout;
}

/**
 * JSON output with each payload as the workflow wrote it (base64). The CLI's default shorthand
 * decodes payloads for display, and shows an empty list as `null`.
 */
const RAW_JSON = ['-o', 'json', '--no-json-shorthand-payloads'];

/** A payload as `--no-json-shorthand-payloads` prints it. */
interface RawPayload {
  data: string;
}

/** The JSON value a payload carries. */
function payloadJson(payload: RawPayload | undefined): unknown {
  if (payload === undefined) throw new Error('no payload');
  return JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8')) as unknown;
}

/** `args` with the value of each flag in `values` replaced (each must be there already). */
function withFlags(args: readonly string[], values: Record<string, string>): string[] {
  const out = [...args];
  for (const [name, value] of Object.entries(values)) {
    const at = out.indexOf(`--${name}`);
    if (at === -1) throw new Error(`the documented command has no --${name}`);
    out[at + 1] = value;
  }
  return out;
}

describe('temporal workflow start, as docs/other-languages.md shows it', () => {
  it('links the pair; the workflow sets its own search attributes; its state and result pass their schemas', async () => {
    const documented = documentedStarts(['docs/other-languages.md']).find((start) => start.flag('type') === WorkflowType.Link);
    if (documented === undefined) throw new Error('docs/other-languages.md shows no `temporal workflow start --type linkMiniProgram`');
    const oa = h.newAccount();
    const mp = h.newMiniProgram();
    h.simulator.scriptLink(oa, mp, AUTO_CONFIRM_SCRIPT);
    const workflowId = linkWorkflowId(oa, mp);
    const input = { ...(documented.input as object), officialAccountAppId: oa, miniProgramAppId: mp, ...FAST };

    await temporal(withFlags(documented.args, { 'task-queue': h.taskQueue, 'workflow-id': workflowId, input: JSON.stringify(input) }));
    const query = JSON.parse(await temporal(['workflow', 'query', '--workflow-id', workflowId, '--type', 'getLinkState', ...RAW_JSON])) as {
      queryResult: { payloads: RawPayload[] };
    };
    const ended = JSON.parse(await temporal(['workflow', 'result', '--workflow-id', workflowId, ...RAW_JSON])) as { result: RawPayload };

    const state = payloadJson(query.queryResult.payloads[0]);
    expect(schemaProblems('link-state', state)).toBeNull();
    const outcome = payloadJson(ended.result);
    expect(schemaProblems('link-result', outcome)).toBeNull();
    expect(outcome).toMatchObject({ outcome: 'linked', officialAccountAppId: oa, miniProgramAppId: mp, status: 1 });
    expect(h.simulator.calls({ endpoint: 'wxamplink', accountAppId: oa })[0]?.body).toEqual({ appid: mp, notify_users: '0', show_profile: '1' });

    // Nothing in the command set them: the workflow did.
    const attributes = (await h.client.workflow.getHandle(workflowId).describe()).typedSearchAttributes;
    expect([attributes.get(WxOfficialAccountAppId), attributes.get(WxMiniProgramAppId), attributes.get(WxLinkStatus)]).toEqual([oa, mp, 'linked']);
  });
});
