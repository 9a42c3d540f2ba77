import { describe, expect, it } from 'vitest';
import { runCli } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';

describe('bench-sim --replications', () => {
  it('runs the reference model as replications on worker threads and reports the throughput', async () => {
    const r = await runCli(['bench-sim', '--requests', '2000', '--replications', '2', '--threads', '2', '--json'], PACKAGE_ROOT);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ model: 'reference-model', requests: 2000, replications: 2, threads: 2 });
    expect(doc.requestsPerSec).toBeGreaterThan(0);
  });
});
