import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';

const SIX_STEP = join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml');

describe('a formula in a seed never reaches results.csv as a formula (issue 12.11)', () => {
  it('run --out writes the seed as quoted text with a leading quote', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-csv-'));
    const seed = '=HYPERLINK("http://evil.example","click")';
    const r = await runCli(['run', SIX_STEP, '--requests', '300', '--seed', seed, '--out', dir], dir);
    expect(r.code).toBe(0);
    const [header, row] = readFileSync(join(dir, 'results.csv'), 'utf8').split('\r\n');
    const seedAt = header!.split(',').indexOf('seed');
    expect(seedAt).toBeGreaterThanOrEqual(0);
    // The seed's cell follows the scenario's; the file's other cells hold no comma.
    expect(row).toContain(`six-step-97,"'=HYPERLINK(""http://evil.example"",""click"")",300,1,`);
    // No cell of the file starts with a formula character.
    for (const cell of row!.split(',')) expect(cell).not.toMatch(/^[=+@\t\r]|^-[^0-9.]/);
  });
});
