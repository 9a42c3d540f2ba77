import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';
import { parameterText } from '../sim/experiment/index.js';

const SIX_STEP = join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml');

describe('object-valued sweep parameters print as JSON, never [object Object] (issue 12.20)', () => {
  it('parameterText', () => {
    expect(parameterText({ error: 0.1 })).toBe('{"error":0.1}');
    expect(parameterText([1, 2])).toBe('[1,2]');
    expect(parameterText(0.25)).toBe('0.25');
    expect(parameterText('fast')).toBe('fast');
  });

  it('in the table, the JSON document and results.csv', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-sweep-obj-'));
    const r = await runCli(['sweep', SIX_STEP, '--set', 'stages.ingress.faults={error: 0.1},{error: 0.2}', '--requests', '300', '--threads', '1', '--out', dir], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('[object Object]');
    expect(r.stdout).toContain('{"error":0.1}');
    expect(r.stdout).toContain('{"error":0.2}');
    const csv = readFileSync(join(dir, 'results.csv'), 'utf8');
    expect(csv).not.toContain('[object Object]');
    expect(csv.split('\r\n')[1]).toMatch(/^"\{""error"":0\.1\}",0,/);
  });
});
