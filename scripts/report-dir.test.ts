/**
 * `report --from` without --out names the report's folder after the scenario
 * in the results file – data, never a path part (issue 12.1). A crafted
 * results.json in a temp dir; what lands where is checked on disk.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathSegment } from '../experiments/untrusted-text.js';
import { runCli } from './test-support.js';
import { fintechComparison } from '../reports/fixtures/load.js';

describe('pathSegment: a name from a file as one harmless directory name', () => {
  it('a valid identifier is kept as written', () => {
    expect(pathSegment('fintech-underwriting')).toBe('fintech-underwriting');
    expect(pathSegment('six_step.97')).toBe('six_step.97');
  });

  it('anything else becomes one segment of letters, digits, ".", "_", "-", not starting with "." or "-", with a hash of the original', () => {
    const cases = ['../../../../tmp/X', '..', '.', '', '/etc', 'a/b', 'a\\b', 'a\u0000b', '-rf', '.hidden', 'x'.repeat(10_000), 'é', 'CON', '..\\..\\x'];
    const seen = new Set<string>();
    for (const name of cases) {
      const s = pathSegment(name);
      expect(s, name).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,79}$/);
      expect(s, name).not.toMatch(/^\.\.?$/);
      seen.add(s);
    }
    expect(seen.size).toBe(cases.length);
    expect(pathSegment('../../../../tmp/X')).toBe('tmp-X-' + pathSegment('../../../../tmp/X').slice(-8));
    // Names that clean to the same text still get different folders.
    expect(pathSegment('a/b')).not.toBe(pathSegment('a?b'));
  });
});

describe('report --from a crafted results file', () => {
  it('"scenario": "../../escaped" writes under out/report/, nothing outside', async () => {
    const d = mkdtempSync(join(tmpdir(), 'coordgap-traversal-'));
    const work = join(d, 'work');
    const doc = fintechComparison();
    doc.baseline.scenario = '../../escaped';
    writeFileSync(join(d, 'r.json'), JSON.stringify(doc));
    // cwd is d/work: "out/report/../../escaped" would be d/work/escaped.
    mkdirSync(work);
    const r = await runCli(['report', '--from', '../r.json', '--json'], work);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(existsSync(join(work, 'escaped'))).toBe(false);
    expect(existsSync(join(d, 'escaped'))).toBe(false);
    const dirs = readdirSync(join(work, 'out', 'report'));
    expect(dirs).toEqual([pathSegment('../../escaped', 'scenario')]);
    expect(dirs[0]).toMatch(/^escaped-[0-9a-f]{8}$/);
    expect(readdirSync(join(work, 'out', 'report', dirs[0]))).toContain('index.html');
    expect(JSON.parse(r.stdout).html).toBe(join(work, 'out', 'report', dirs[0], 'index.html'));
  });
});
