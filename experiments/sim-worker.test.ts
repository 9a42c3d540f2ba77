/**
 * What a simulation worker loads: every worker thread pays for its modules
 * when it starts (once per thread, on a cold JIT). It receives compiled models
 * (model-wire.ts), so it needs the engine and nothing that validates, parses
 * or compiles scenarios: zod with the scenario schema and the YAML parser
 * took 0.2 of the worker's 0.3 CPU-s start-up.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Modules `file` loads when it runs: its value imports, followed through relative ones (type-only imports load nothing). */
function loadedBy(file: string): { local: Set<string>; packages: Set<string> } {
  const local = new Set<string>();
  const packages = new Set<string>();
  const visit = (f: string) => {
    if (local.has(f)) return;
    local.add(f);
    const source = ts.createSourceFile(f, readFileSync(join(ROOT, f), 'utf8'), ts.ScriptTarget.ES2022, true);
    const follow = (spec: string) => {
      if (spec.startsWith('.')) visit(posix.normalize(posix.join(posix.dirname(f), spec)).replace(/\.js$/, '.ts'));
      else packages.add(spec);
    };
    const walk = (node: ts.Node) => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const c = node.importClause;
        const typeOnly =
          c !== undefined &&
          (c.isTypeOnly || (c.name === undefined && c.namedBindings !== undefined && ts.isNamedImports(c.namedBindings) && c.namedBindings.elements.every((e) => e.isTypeOnly)));
        if (!typeOnly) follow(node.moduleSpecifier.text);
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
        follow(node.moduleSpecifier.text);
      }
      ts.forEachChild(node, walk);
    };
    walk(source);
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
