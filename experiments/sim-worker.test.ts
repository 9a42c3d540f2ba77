/**
 * What a simulation worker loads: every worker thread pays for its modules
 * when it starts (once per thread, on a cold JIT). It receives compiled models
 * (model-wire.ts), so it needs the engine and nothing that validates, parses
 * or compiles scenarios: zod with the scenario schema and the YAML parser
 * took 0.2 of the worker's 0.3 CPU-s start-up.
 */
import { describe, expect, it } from 'vitest';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importsOf } from '../import-scan.test-support.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Modules `file` loads when it runs: its static value imports, followed through relative ones (type-only imports load nothing). */
function loadedBy(file: string): { local: Set<string>; packages: Set<string> } {
  const local = new Set<string>();
  const packages = new Set<string>();
  const visit = (f: string) => {
    if (local.has(f)) return;
    local.add(f);
    for (const e of importsOf(ROOT, f)) {
      if (e.typeOnly || e.dynamic) continue;
      if (e.to !== null) visit(e.to);
      else packages.add(e.spec);
    }
  };
  visit(file);
  return { local, packages };
}

describe('the simulation worker', () => {
  it('loads the engine only: no zod, no YAML parser, nothing from sim/scenario/', () => {
    const { local, packages } = loadedBy('experiments/sim-worker.ts');
    expect(local.has('sim/path/simulate.ts')).toBe(true);
    expect([...packages].filter((p) => ['zod', 'yaml', 'ajv', 'piscina', 'commander'].includes(p))).toEqual([]);
    expect([...local].filter((f) => f.startsWith('sim/scenario/') || f.startsWith('scripts/') || f.startsWith('reports/'))).toEqual([]);
  });
});
