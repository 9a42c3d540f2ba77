import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compiledModuleUrl } from './compiled-path.js';

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'coordgap-compiled-'));
  writeFileSync(join(root, 'package.json'), '{}');
  mkdirSync(join(root, 'bench'), { recursive: true });
  mkdirSync(join(root, 'dist', 'bench'), { recursive: true });
  writeFileSync(join(root, 'dist', 'bench', 'worker.js'), '');
  return root;
}

describe('compiledModuleUrl', () => {
  it('maps a TypeScript caller to the same folder under dist/', () => {
    const root = project();
    const caller = pathToFileURL(join(root, 'bench', 'harness.ts')).href;
    expect(compiledModuleUrl(caller, './worker.js').href).toBe(pathToFileURL(join(root, 'dist', 'bench', 'worker.js')).href);
  });

  it('resolves next to a compiled caller', () => {
    const root = project();
    const caller = pathToFileURL(join(root, 'dist', 'bench', 'harness.js')).href;
    expect(compiledModuleUrl(caller, './worker.js').href).toBe(pathToFileURL(join(root, 'dist', 'bench', 'worker.js')).href);
  });

  it('handles paths that leave the caller folder', () => {
    const root = project();
    const caller = pathToFileURL(join(root, 'bench', 'suites', 'handoff.ts')).href;
    expect(compiledModuleUrl(caller, '../worker.js').href).toBe(pathToFileURL(join(root, 'dist', 'bench', 'worker.js')).href);
  });

  it('tells the user to build when the file is missing', () => {
    const root = project();
    const caller = pathToFileURL(join(root, 'bench', 'harness.ts')).href;
    expect(() => compiledModuleUrl(caller, './missing.js')).toThrow(/dist\/bench\/missing\.js not found: .*run `npm run build` first/);
  });
});
