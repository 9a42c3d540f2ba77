/**
 * The architecture, checked: every import of every source file (type-only
 * and dynamic imports included, tests excluded – a test may drive a layer
 * through the CLI) must point one way,
 *
 *   scripts → {reports, experiments} → {sim, bench}
 *
 * with the library entry index.ts beside scripts but importing nothing from
 * it; reports read only types from sim/ and bench/; code outside sim/
 * reaches a sim folder only through its index.ts (the folder's public
 * surface); sim/kernel/ stands on nothing else in sim/; and no file imports
 * itself through a chain (a cycle), type-only edges included.
 *
 * One sideways edge: bench/ may import sim/ through exactly sim/kernel/index.ts
 * (bench compare takes its Student t quantile there). The kernel is pure math
 * that stands on nothing in this repository – no other sim/ folder (checked
 * below), nothing above sim/ – so nothing it reaches can lead back to bench/,
 * and no cycle can form; any other bench → sim edge is refused.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf } from './import-scan.test-support.js';

const ROOT = dirname(fileURLToPath(import.meta.url));
const TOP = ['scripts', 'reports', 'experiments', 'sim', 'bench'] as const;

/** Which top-level folders each may import from (besides itself). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  scripts: ['reports', 'experiments', 'sim', 'bench'],
  'index.ts': ['experiments', 'sim', 'bench'],
  reports: ['sim', 'bench'],
  experiments: ['sim', 'bench'],
  sim: [],
  bench: ['sim'], // only sim/kernel/index.ts: BENCH_MAY_IMPORT_FROM_SIM
};

/** The one file of sim/ that bench/ may import: the kernel's public surface. */
const BENCH_MAY_IMPORT_FROM_SIM = 'sim/kernel/index.ts';

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(): string[] {
  const out: string[] = ['index.ts', 'import-graph.test.ts', 'import-scan.test-support.ts'];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(ROOT, dir))) {
      const rel = posix.join(dir, name);
      if (statSync(join(ROOT, rel)).isDirectory()) {
        if (name !== 'node_modules' && name !== '__snapshots__') walk(rel);
      } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(rel);
    }
  };
  for (const top of TOP) walk(top);
  return out;
}

const isTest = (f: string) => /\.test(-support)?\.ts$/.test(f) || /(^|\/)(test-support|test-fixtures|fixtures)[/.]/.test(f);

/** Every relative import of `file`, resolved to a source path, with whether it carries types only. */
function relativeImportsOf(file: string): Edge[] {
  return importsOf(ROOT, file).flatMap((e) => (e.to === null ? [] : [{ from: e.from, to: e.to, typeOnly: e.typeOnly }]));
}

const layerOf = (file: string) => (file === 'index.ts' ? 'index.ts' : file.split('/')[0]);

function upwardEdges(edges: readonly Edge[]): string[] {
  return edges
    .filter((e) => {
      const [a, b] = [layerOf(e.from), layerOf(e.to)];
      if (a === 'bench' && b === 'sim') return e.to !== BENCH_MAY_IMPORT_FROM_SIM;
      return a !== b && !MAY_IMPORT[a].includes(b);
    })
    .map((e) => `${e.from} → ${e.to}`);
}

/** Each cycle found by a depth-first walk, as the chain of files that closes it. */
function findCycles(edges: readonly Edge[]): string[] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const g of next.get(f) ?? []) {
      if (state.get(g) === 'open') cycles.push([...stack.slice(stack.indexOf(g)), g].join(' → '));
      else if (state.get(g) === undefined) visit(g);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of [...next.keys()].sort()) if (state.get(f) === undefined) visit(f);
  return cycles;
}

const FILES = sourceFiles();
const EDGES = FILES.flatMap(relativeImportsOf);
const CODE_EDGES = EDGES.filter((e) => !isTest(e.from));

describe('the import graph', () => {
  it('finds the source tree and resolves every relative import to a file', () => {
    expect(FILES.length).toBeGreaterThan(100);
    const missing = EDGES.filter((e) => !FILES.includes(e.to) && !e.to.endsWith('.mjs')).map((e) => `${e.from} → ${e.to}`);
    expect(missing).toEqual([]);
  });

  it('points one way between the top-level folders', () => {
    expect(upwardEdges(CODE_EDGES)).toEqual([]);
  });

  it('lets reports/ read only types from sim/ and bench/', () => {
    const values = CODE_EDGES.filter((e) => layerOf(e.from) === 'reports' && ['sim', 'bench'].includes(layerOf(e.to)) && !e.typeOnly).map(
      (e) => `${e.from} → ${e.to}`,
    );
    expect(values).toEqual([]);
  });

  it('reaches a sim/ folder from outside only through its index.ts', () => {
    const deep = CODE_EDGES.filter((e) => layerOf(e.from) !== 'sim' && layerOf(e.to) === 'sim' && !/^sim\/[^/]+\/index\.ts$/.test(e.to)).map(
      (e) => `${e.from} → ${e.to}`,
    );
    expect(deep).toEqual([]);
  });

  it('keeps sim/kernel/ standing on nothing else in sim/', () => {
    const up = CODE_EDGES.filter((e) => e.from.startsWith('sim/kernel/') && e.to.startsWith('sim/') && !e.to.startsWith('sim/kernel/')).map(
      (e) => `${e.from} → ${e.to}`,
    );
    expect(up).toEqual([]);
  });

  it('keeps sim/ pure: no console, no process state, no Node built-in (the caller passes what it needs, e.g. meta.node; sim runs bundled outside Node)', () => {
    const impure = FILES.filter((f) => f.startsWith('sim/') && !isTest(f)).flatMap((f) => {
      const text = readFileSync(join(ROOT, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      return [/\bprocess\.\w/, /\bconsole\.\w/, /from 'node:/].flatMap((re) => (re.test(text) ? [`${f}: ${re.source}`] : []));
    });
    expect(impure).toEqual([]);
  });

  it('has no cycle, type-only imports included', () => {
    expect(findCycles(EDGES)).toEqual([]);
  });

  it('would catch an upward edge and a cycle (the checks are not vacuous)', () => {
    const fake: Edge[] = [
      { from: 'sim/kernel/a.ts', to: 'sim/kernel/b.ts', typeOnly: true },
      { from: 'sim/kernel/b.ts', to: 'sim/kernel/a.ts', typeOnly: true },
      { from: 'sim/path/c.ts', to: 'scripts/main.ts', typeOnly: true },
      { from: 'bench/d.ts', to: 'sim/kernel/index.ts', typeOnly: false },
      { from: 'bench/d.ts', to: 'sim/kernel/special.ts', typeOnly: false },
      { from: 'bench/d.ts', to: 'sim/metrics/index.ts', typeOnly: true },
      { from: 'sim/kernel/e.ts', to: 'bench/d.ts', typeOnly: true },
    ];
    expect(findCycles(fake)).toEqual(['sim/kernel/a.ts → sim/kernel/b.ts → sim/kernel/a.ts']);
    expect(upwardEdges(fake)).toEqual([
      'sim/path/c.ts → scripts/main.ts',
      'bench/d.ts → sim/kernel/special.ts',
      'bench/d.ts → sim/metrics/index.ts',
      'sim/kernel/e.ts → bench/d.ts',
    ]);
  });
});
