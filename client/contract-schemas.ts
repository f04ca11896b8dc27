/**
 * The contract's JSON Schemas, as one table: every workflow input, result, query answer and signal
 * argument that callers in any language exchange with wxamp-link. `npm run schemas` (which the
 * build runs) writes each entry to `schemas/<name>.json`; test/unit/contract-schemas.test.ts
 * checks that the committed files are what this table produces. To publish another schema, add
 * its zod schema and one line here.
 *
 * The zod schemas live in client/schemas/ and never in workflows/ (imported by workflow code, zod
 * costs about a megabyte per cached workflow); each carries a compile-time proof that it matches
 * its TypeScript type in the contract, so the two cannot drift apart.
 */
import { z } from 'zod';
import { accountWatchStateSchema } from './schemas/account-watch-schemas';
import { addPairsChunkSchema, campaignInputSchema, campaignResultSchema, campaignStateSchema } from './schemas/campaign-schemas';
import {
  linkInputSchema,
  linkResultSchema,
  linkStateSchema,
  listInputSchema,
  listResultSchema,
  unlinkInputSchema,
  unlinkResultSchema,
} from './schemas/link-schemas';
import { webhookEventSchema } from './schemas/webhook-event-schema';

/** One schema of the contract. */
export interface ContractSchema {
  /** Its file's name in `schemas/`, without `.json`: lower-case words joined by `-`. */
  readonly name: string;
  /** The zod schema it is generated from. */
  readonly schema: z.ZodType;
}

/** Every schema of the contract, in the order of docs/contract.md. */
export const CONTRACT_SCHEMAS: readonly ContractSchema[] = [
  { name: 'link-input', schema: linkInputSchema },
  { name: 'link-result', schema: linkResultSchema },
  { name: 'link-state', schema: linkStateSchema },
  { name: 'unlink-input', schema: unlinkInputSchema },
  { name: 'unlink-result', schema: unlinkResultSchema },
  { name: 'list-input', schema: listInputSchema },
  { name: 'list-result', schema: listResultSchema },
  { name: 'campaign-input', schema: campaignInputSchema },
  { name: 'campaign-add-pairs', schema: addPairsChunkSchema },
  { name: 'campaign-state', schema: campaignStateSchema },
  { name: 'campaign-result', schema: campaignResultSchema },
  { name: 'account-watch-state', schema: accountWatchStateSchema },
  { name: 'webhook-event', schema: webhookEventSchema },
];

/** The JSON Schema (draft 2020-12) of a zod schema of the contract. */
export function toContractJsonSchema(schema: z.ZodType): Record<string, unknown> {
  // `io: 'input'` leaves an object open unless its zod schema is strict: the inputs are (the
  // workflows refuse unknown fields), while results and answers must stay open to the fields the
  // contract adds later. The output side would close every object.
  return z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'throw' });
}

/** A file of `schemas/`: its name and its exact text. */
export interface ContractSchemaFile {
  readonly file: string;
  readonly text: string;
}

/** What `npm run schemas` writes: one file per {@link CONTRACT_SCHEMAS} entry. */
export function contractSchemaFiles(): ContractSchemaFile[] {
  return CONTRACT_SCHEMAS.map(({ name, schema }) => ({ file: `${name}.json`, text: `${JSON.stringify(toContractJsonSchema(schema), null, 2)}\n` }));
}
