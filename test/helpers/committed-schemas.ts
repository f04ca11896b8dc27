/**
 * The committed JSON Schemas of schemas/, read by an independent validator (ajv, draft 2020-12,
 * strict mode) as a caller in another language would read them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import { SCHEMAS_DIR } from '../../local/repo-paths';

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validators = new Map<string, ValidateFunction>();

/** The validator of `schemas/<name>.json`, compiled once. */
export function committedSchema(name: string): ValidateFunction {
  let validate = validators.get(name);
  if (validate === undefined) {
    validate = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS_DIR, `${name}.json`), 'utf8')) as object);
    validators.set(name, validate);
  }
  return validate;
}

/** `null` when `schemas/<name>.json` accepts `value`, else ajv's errors. */
export function schemaProblems(name: string, value: unknown): ErrorObject[] | null {
  const validate = committedSchema(name);
  return validate(value) ? null : (validate.errors ?? []);
}
