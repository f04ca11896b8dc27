/** Where the checkout and its generated files are, for the scripts of local/ and the tests. */
import { basename, join } from 'node:path';

/** The project's root: this file runs from local/ (ts-jest) or dist/local/ (the build). */
export const REPO_ROOT = basename(join(__dirname, '..')) === 'dist' ? join(__dirname, '..', '..') : join(__dirname, '..');

/** The contract's JSON Schemas, written by `npm run schemas` (local/schemas-main.ts) and committed. */
export const SCHEMAS_DIR = join(REPO_ROOT, 'schemas');
