import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';

/** The six-step scenario plus one variant whose patch is `patchYaml` (indented under patch:). */
function scenarioWithPatch(patchYaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'coordgap-proto-'));
  const file = join(dir, 's.yaml');
  const base = readFileSync(join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml'), 'utf8');
  writeFileSync(file, `${base}\nvariants:\n  - name: polluted\n    kind: coordination\n    patch:\n${patchYaml}`);
  return file;
}

describe('a prototype key in a variant patch is a positioned error, before anything runs (issue 12.17)', () => {
  it('nested under a stage', async () => {
    const file = scenarioWithPatch('      stages:\n        retrieval:\n          __proto__:\n            faults: { error: 0.9 }\n');
    const r = await runCli(['validate', file], PACKAGE_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/s\.yaml:\d+:\d+ .*"__proto__" cannot be set: it is reserved/);
  });

  it('at the top of the patch (where zod would drop it silently)', async () => {
    const file = scenarioWithPatch('      __proto__:\n        requests: 10\n');
    const r = await runCli(['validate', file], PACKAGE_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/s\.yaml:\d+:\d+ variants\[0\]\.patch\.__proto__: "__proto__" cannot be set/);
  });

  it('--set refuses the same keys with the same words', async () => {
    const r = await runCli(['validate', join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml'), '--set', 'constructor.x=1'], PACKAGE_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"constructor" cannot be set: it is reserved/);
  });
});
