/**
 * The contract's JSON Schemas (schemas/*.json): the committed files are what the table in
 * client/contract-schemas.ts produces now; read by an independent validator (ajv, draft 2020-12),
 * they accept every input the documentation shows, and refuse the invalid inputs of the
 * reliability suite's table, naming the same field as the workflows, except the few rules that
 * compare two values, which no JSON Schema can state (docs/other-languages.md lists them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { ErrorObject } from 'ajv/dist/2020';
import { contractSchemaFiles } from '../../client/contract-schemas';
import { SCHEMAS_DIR } from '../../local/repo-paths';
import { normalizeCampaignInput } from '../../workflows/campaign/validate-campaign-input';
import { linkWorkflowId, unlinkWorkflowId, WorkflowType } from '../../workflows/contract';
import { checkDuration } from '../../workflows/support/input-fields';
import { normalizeLinkInput } from '../../workflows/support/validate-input';
import { BAD_INPUTS, MP, OA, type BadInput } from '../helpers/bad-inputs';
import { committedSchema, schemaProblems } from '../helpers/committed-schemas';
import { documentedStarts, readmeLibraryInputs } from '../helpers/documented-examples';

/** The input field an error is about: `pollInterval`, `input` for the whole object. */
function fieldOf(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const path = error.instancePath.split('/').slice(1).join('.');
  const key = params.missingProperty ?? params.additionalProperty;
  if (key !== undefined) return path === '' ? key : `${path}.${key}`;
  return path === '' ? 'input' : path;
}

const INPUT_SCHEMA_OF: Record<string, string> = {
  [WorkflowType.Link]: 'link-input',
  [WorkflowType.Unlink]: 'unlink-input',
  [WorkflowType.List]: 'list-input',
  [WorkflowType.Campaign]: 'campaign-input',
};
const BAD_INPUT_SCHEMA = { link: 'link-input', unlink: 'unlink-input', list: 'list-input' } as const;

/**
 * Rows of the bad-input table that only the workflow refuses: each compares a duration with a
 * bound or with another field, in any unit, which a JSON Schema cannot do.
 */
const LEFT_TO_THE_WORKFLOW = new Set([
  'link: pollInterval under 50 ms',
  'link: maxPollInterval < pollInterval',
  'link: timeout beyond 366d',
  'unlink: maxPollInterval < pollInterval',
]);
const label = (row: BadInput): string => `${row.workflow}: ${row.why}`;

describe('the committed schemas', () => {
  it('are exactly what client/contract-schemas.ts produces (else run `npm run schemas` and commit)', () => {
    const expected = contractSchemaFiles();
    const committed = readdirSync(SCHEMAS_DIR).filter((file) => file.endsWith('.json'));
    expect(committed.sort()).toEqual(expected.map(({ file }) => file).sort());
    for (const { file, text } of expected) expect({ file, text: readFileSync(join(SCHEMAS_DIR, file), 'utf8') }).toEqual({ file, text });
  });

  it('each compiles as draft 2020-12 in strict mode', () => {
    for (const { file } of contractSchemaFiles()) expect(() => committedSchema(file.replace(/\.json$/, ''))).not.toThrow();
  });
});

describe('the documented inputs', () => {
  const starts = documentedStarts();

  it('the docs show a `temporal workflow start` for every workflow callers start', () => {
    expect(new Set(starts.map((start) => start.flag('type')))).toEqual(new Set(Object.keys(INPUT_SCHEMA_OF)));
  });

  it.each(starts.map((start) => [`${start.file}: ${start.flag('type') ?? '?'}`, start] as const))(
    '%s: its input passes, with the contract id and task queue',
    (_, start) => {
      const type = start.flag('type') ?? '';
      expect(schemaProblems(INPUT_SCHEMA_OF[type] ?? `(no input schema for ${type})`, start.input)).toBeNull();
      expect(start.flag('task-queue')).toBe('wxamp-link');
      const input = start.input as { officialAccountAppId: string; miniProgramAppId: string };
      const expectedId = {
        [WorkflowType.Link]: linkWorkflowId(input.officialAccountAppId, input.miniProgramAppId),
        [WorkflowType.Unlink]: unlinkWorkflowId(input.officialAccountAppId, input.miniProgramAppId),
        [WorkflowType.List]: `wxamp-list/${input.officialAccountAppId}`,
      }[type];
      if (expectedId !== undefined) expect(start.flag('workflow-id')).toBe(expectedId);
    },
  );

  const libraryInputs = readmeLibraryInputs();
  it('the README shows the library starting links and unlinks', () => {
    expect(new Set(libraryInputs.map(({ method }) => method))).toEqual(new Set(['link', 'unlink']));
  });

  it.each(libraryInputs.map((example) => [example.method, example] as const))("the README's links.%s() input passes", (_, { method, input }) => {
    expect(schemaProblems(`${method}-input`, input)).toBeNull();
  });
});

describe('the bad inputs of the reliability suite', () => {
  const refused = BAD_INPUTS.filter((row) => !LEFT_TO_THE_WORKFLOW.has(label(row)));

  it.each(refused.map((row) => [label(row), row] as const))('%s: refused, naming the same field', (_, row) => {
    const errors = schemaProblems(BAD_INPUT_SCHEMA[row.workflow], row.input);
    expect(errors).not.toBeNull();
    expect((errors ?? []).map(fieldOf)).toContain(row.field);
  });

  it('only the rules that compare two values are left to the workflow (and the list of them is exact)', () => {
    const left = BAD_INPUTS.filter((row) => LEFT_TO_THE_WORKFLOW.has(label(row)));
    expect(left.map(label).sort()).toEqual([...LEFT_TO_THE_WORKFLOW].sort());
    for (const row of left)
      expect({ row: label(row), problems: schemaProblems(BAD_INPUT_SCHEMA[row.workflow], row.input) }).toEqual({ row: label(row), problems: null });
  });
});

describe('the schemas say what the workflows say', () => {
  const durations: unknown[] = [
    ...['15s', '200ms', '7d', '5 m', '5M', '2 Hours', '1.5h', '.5s', '0.05s', '10', '1 week', '3y', '12 msecs'],
    ...['0s', '0', '00.00', '-5s', 'often', '1.', '', '1e3', 'Infinity', ' 5s', '5s ', '5mss', '5 minutes ago', '١s', `1${'0'.repeat(100)}ms`],
    ...[2_000, 0.5, 0, -1, true, null, { days: 1 }],
  ];
  it.each(durations.map((value) => [JSON.stringify(value), value] as const))('a duration of %s: the schema and checkDuration agree', (_, value) => {
    const accepted = schemaProblems('link-input', { officialAccountAppId: OA, miniProgramAppId: MP, timeout: value }) === null;
    expect(accepted).toBe(checkDuration(value).ok);
  });

  it('a link with every field set passes both', () => {
    const input = {
      officialAccountAppId: OA,
      miniProgramAppId: MP,
      notifyUsers: true,
      showProfile: false,
      miniProgramUsername: 'gh_1a2b3c4d5e6f',
      pollInterval: 20_000,
      maxPollInterval: '10m',
      timeout: '30d',
      maxHistoryEvents: 10_000,
      campaignId: 'wxamp-campaign/abc',
    };
    expect(() => normalizeLinkInput(input)).not.toThrow();
    expect(schemaProblems('link-input', input)).toBeNull();
  });

  const campaigns: Array<[string, unknown]> = [
    ['one mini program to many accounts', { miniProgramAppId: MP, officialAccountAppIds: [OA, 'wx3333333333333333'], startsPerMinute: 30 }],
    ['many mini programs to one account', { officialAccountAppId: OA, miniProgramAppIds: [MP], onCancel: 'cancel-links', maxInFlight: 1_000 }],
    ['a list of pairs', { pairs: [{ officialAccountAppId: OA, miniProgramAppId: MP }], morePairs: true, duplicatesRemoved: 3, followInterval: '30s' }],
    ['two ways at once', { miniProgramAppId: MP, officialAccountAppIds: [OA], pairs: [{ officialAccountAppId: OA, miniProgramAppId: MP }] }],
    ['no pairs', { notifyUsers: true }],
    ['an empty list', { miniProgramAppId: MP, officialAccountAppIds: [] }],
    ['1,001 pairs in one message', { miniProgramAppId: MP, officialAccountAppIds: Array.from({ length: 1_001 }, (_, i) => `wx${i}`) }],
    ['a bad appid in the list', { officialAccountAppId: OA, miniProgramAppIds: ['wx/1'] }],
    ['an unknown field in a pair', { pairs: [{ officialAccountAppId: OA, miniProgramAppId: MP, status: 1 }] }],
    ['maxInFlight of 0', { miniProgramAppId: MP, officialAccountAppIds: [OA], maxInFlight: 0 }],
    ['startsPerMinute not whole', { miniProgramAppId: MP, officialAccountAppIds: [OA], startsPerMinute: 1.5 }],
    ['an unknown onCancel', { miniProgramAppId: MP, officialAccountAppIds: [OA], onCancel: 'stop' }],
    ['a link-only field', { miniProgramAppId: MP, officialAccountAppIds: [OA], miniProgramUsername: 'gh_1' }],
  ];
  it.each(campaigns)('a campaign with %s: the schema and the workflow agree', (_, input) => {
    let workflowAccepts = true;
    try {
      normalizeCampaignInput(input);
    } catch {
      workflowAccepts = false;
    }
    expect(schemaProblems('campaign-input', input) === null).toBe(workflowAccepts);
  });
});
