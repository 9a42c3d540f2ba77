import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';

const SIX_STEP = join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml');
const FINTECH = join(PACKAGE_ROOT, 'scenarios', 'fintech-underwriting.yaml');
/**
 * A worker module that does not exist: a command that started simulating
 * would fail on it (exit 3), so exit 2 with the message proves the check came first.
 */
const NO_WORKER = new URL('file:///nonexistent/coordgap-worker.js');

const tmp = () => mkdtempSync(join(tmpdir(), 'coordgap-preflight-'));

describe('what can be checked is checked before simulating (issue 12.6)', () => {
  it('--out naming a file', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'taken'), 'mine');
    const r = await runCli(['run', SIX_STEP, '--requests', '200', '--out', 'taken'], dir, NO_WORKER);
    expect(r.stderr).toMatch(/--out taken is not a directory/);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'taken'), 'utf8')).toBe('mine');
  });

  it('a foreign results.json in --out', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'results.json'), '{"mine": true}');
    const r = await runCli(['compare', FINTECH, '--requests', '200', '--out', 'out'], dir, NO_WORKER);
    expect(r.stderr).toMatch(/refusing to overwrite .*results\.json \(not written by coordgap\)/);
    expect(r.code).toBe(2);
  });

  it('a foreign report.md in the report --out', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'rep'));
    writeFileSync(join(dir, 'rep', 'report.md'), '# mine');
    const r = await runCli(['report', FINTECH, '--requests', '200', '--out', 'rep'], dir, NO_WORKER);
    expect(r.stderr).toMatch(/refusing to overwrite .*report\.md/);
    expect(r.code).toBe(2);
  });

  it('a missing --profile', async () => {
    const dir = tmp();
    const r = await runCli(['report', FINTECH, '--requests', '200', '--out', 'rep', '--profile', 'missing.json'], dir, NO_WORKER);
    expect(r.stderr).toMatch(/missing\.json/);
    expect(r.code).toBe(2);
  });
});

describe('names and variant counts are capped in the schema, with a position (issue 12.6)', () => {
  const withText = (f: (yaml: string) => string) => {
    const dir = tmp();
    const file = join(dir, 's.yaml');
    writeFileSync(file, f(readFileSync(SIX_STEP, 'utf8')));
    return file;
  };

  it('a 301-character scenario name', async () => {
    const file = withText((y) => y.replace(/^name: .*$/m, `name: ${'n'.repeat(301)}`));
    const r = await runCli(['validate', file], PACKAGE_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/s\.yaml:\d+:\d+ name: must be at most 100 characters/);
  });

  it('201 variants', async () => {
    const variants = Array.from({ length: 201 }, (_, i) => `  - { name: v${i}, kind: coordination, patch: { requests: 10 } }`).join('\n');
    const file = withText((y) => `${y}\nvariants:\n${variants}\n`);
    const r = await runCli(['validate', file], PACKAGE_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/s\.yaml:\d+:\d+ variants: must hold at most 200 variants/);
  });

  it('200 variants and a 100-character name are fine', async () => {
    const variants = Array.from({ length: 200 }, (_, i) => `  - { name: v${i}, kind: coordination, patch: { requests: 10 } }`).join('\n');
    const file = withText((y) => `${y.replace(/^name: .*$/m, `name: ${'n'.repeat(100)}`)}\nvariants:\n${variants}\n`);
    const r = await runCli(['validate', file], PACKAGE_ROOT);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
