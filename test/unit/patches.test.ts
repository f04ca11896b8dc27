/**
 * workflows/patches.ts is the one list of `patched()` ids: every call takes its id from there,
 * every id there is used, and the recorded histories replay each id's new branch.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import * as patches from '../../workflows/patches';

const workflowsDir = join(__dirname, '..', '..', 'workflows');
const fixturesDir = join(__dirname, '..', 'fixtures', 'histories');
// Every workflow source file, in the entry points' folder and in the folders of their parts.
const sources = (readdirSync(workflowsDir, { recursive: true }) as string[])
  .filter((name) => name.endsWith('.ts') && name !== 'patches.ts')
  .map((name) => ({ name, text: readFileSync(join(workflowsDir, name), 'utf8') }));
/** The constant names patches.ts exports, one per id. */
const idNames = Object.keys(patches).filter((name) => name.endsWith('_PATCH'));

/** The patch ids whose markers a recorded history carries. */
function markersOf(file: string): string[] {
  const history = JSON.parse(readFileSync(join(fixturesDir, file), 'utf8')) as {
    events?: Array<{ markerRecordedEventAttributes?: { markerName?: string; details?: Record<string, { payloads?: Array<{ data?: string }> }> } }>;
  };
  return (history.events ?? []).flatMap((event) => {
    const marker = event.markerRecordedEventAttributes;
    const data = marker?.markerName === 'core_patch' ? marker.details?.['patch-data']?.payloads?.[0]?.data : undefined;
    return data === undefined ? [] : [(JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { id: string }).id];
  });
}

describe('the patch ids (workflows/patches.ts)', () => {
  it('lists every id once, in PATCH_IDS', () => {
    const ids = idNames.map((name) => (patches as Record<string, unknown>)[name]);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...patches.PATCH_IDS].sort()).toEqual([...ids].sort());
  });

  it('is where every patched() call takes its id from: no literal, no local constant', () => {
    const calls = sources.flatMap(({ name, text }) => [...text.matchAll(/\bpatched\(([^)]*)\)/g)].map((match) => ({ name, argument: match[1]?.trim() ?? '' })));
    expect(calls.length).toBeGreaterThan(0);
    for (const { name, argument } of calls) {
      // operatorPolicyOrNull(patchId) passes one of the ids on; its parameter's type names them.
      if (argument === 'patchId') continue;
      expect({ name, argument, fromPatches: idNames.includes(argument) }).toEqual({ name, argument, fromPatches: true });
    }
    for (const { name, text } of sources) {
      expect({ name, definesAnId: /export const \w+_PATCH\s*=/.test(text) }).toEqual({ name, definesAnId: false });
    }
  });

  it.each(idNames)('%s is used by a workflow and replayed by a recorded history', (name) => {
    const id = (patches as Record<string, unknown>)[name] as string;
    const uses = sources
      .flatMap(({ text }) => text.split('\n'))
      .filter((line) => !/^\s*(import|export \{|\/\/|\*)/.test(line) && new RegExp(`\\b${name}\\b`).test(line));
    expect(uses.length).toBeGreaterThan(0);
    const replayed = readdirSync(fixturesDir).filter((file) => file.endsWith('.json') && markersOf(file).includes(id));
    expect(replayed.length).toBeGreaterThan(0);
  });
});
