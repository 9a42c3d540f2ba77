import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareProfiles, formatCompareLines, formatCompareMarkdown, speedupFromMedians } from './compare.js';
import { fixtureProfile } from './profile-fixture.js';
import { Writable } from 'node:stream';
import { benchMain } from '../scripts/cmd-bench.js';

/** A stream that keeps what is written. */
function capture(): Writable & { text: string } {
  const w = new Writable({ write(chunk, _e, cb) { w.text += String(chunk); cb(); } }) as Writable & { text: string };
  w.text = '';
  return w;
}

describe('bench compare on extreme medians (issue 12.20)', () => {
  it('huge medians: the ± is finite (the CV does not depend on scale)', () => {
    const small = speedupFromMedians([2, 2.2, 1.8], [1, 1.1, 0.9]);
    const huge = speedupFromMedians([2e307, 2.2e307, 1.8e307], [1e307, 1.1e307, 0.9e307]);
    expect(huge.speedup).toBeCloseTo(small.speedup, 12);
    expect(huge.plusMinus).toBeCloseTo(small.plusMinus, 12);
    const lines = formatCompareLines(compareProfiles(fixtureProfile('a', { 'retrieval.bm25': [2e307, 2.2e307, 1.8e307] }), fixtureProfile('b', { 'retrieval.bm25': [1e307, 1.1e307, 0.9e307] })));
    expect(lines.join('\n')).not.toMatch(/Infinity|NaN/);
  });

  it('a zero median: that kernel is not compared, with the reason; the others are', () => {
    const c = compareProfiles(
      fixtureProfile('a', { 'retrieval.bm25': [0, 0, 0], 'orchestration.json-state': [0.2, 0.2, 0.2] }),
      fixtureProfile('b', { 'retrieval.bm25': [1, 1, 1], 'orchestration.json-state': [0.1, 0.1, 0.1] }),
    );
    expect(c.kernels.map((k) => k.id)).toEqual(['orchestration.json-state']);
    expect(c.notCompared).toEqual([{ id: 'retrieval.bm25', reason: expect.stringMatching(/^'a' \(A\) has an isolate median of 0 ms; a speedup needs positive, finite times/) }]);
    expect(formatCompareLines(c).join('\n')).toContain("Not compared: retrieval.bm25: 'a' (A) has an isolate median of 0 ms");
    expect(formatCompareMarkdown(c)).toContain('| `retrieval.bm25` | | | n/a | | | not compared:');
  });

  it('through the CLI: exit 0, not 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-bench-cmp-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify(fixtureProfile('a', { 'retrieval.bm25': [0, 0, 0], 'orchestration.json-state': [0.2, 0.2, 0.2] })));
    writeFileSync(join(dir, 'b.json'), JSON.stringify(fixtureProfile('b', { 'retrieval.bm25': [1, 1, 1], 'orchestration.json-state': [0.1, 0.1, 0.1] })));
    const stdout = capture();
    const stderr = capture();
    const code = await benchMain(['bench', 'compare', join(dir, 'a.json'), join(dir, 'b.json')], { stdout, stderr, isTTY: false });
    expect(stderr.text).toBe('');
    expect(code).toBe(0);
    expect(stdout.text).toContain('Not compared: retrieval.bm25');
  });
});
