/** --queue and `coordgap worker` on the command line: a bad URL or an unreachable Redis stops before any work, exit 2, no password shown. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../experiments/version.js';
import { freePort } from '../experiments/queue/redis-server.test-support.js';
import { runCli } from './test-support.js';

const SWEEP = ['sweep', join('scenarios', 'fintech-underwriting.yaml'), '--requests', '1000'];

describe('--queue on the command line', () => {
  it('a URL that is not redis:// or rediss:// is a usage error saying what is valid', async () => {
    const r = await runCli([...SWEEP, '--queue', 'http://:hunter2@localhost:6379'], PACKAGE_ROOT);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'coordgap: --queue "http://:***@localhost:6379": the scheme must be redis:// or rediss:// (TLS), not http://; expected a Redis URL such as redis://127.0.0.1:6379, redis://user:password@host:6379/0 or rediss://host:6380 (TLS)\n',
    );
  });

  it('an unreachable Redis fails at once, naming host:port, not the password; so does a worker', async () => {
    const port = await freePort();
    const sweep = await runCli([...SWEEP, '--queue', `redis://user:hunter2@127.0.0.1:${port}`], PACKAGE_ROOT);
    expect(sweep.code).toBe(2);
    expect(sweep.stderr).toBe(`coordgap: cannot reach Redis at redis://127.0.0.1:${port}: connection refused (is redis-server running there, and listening on that interface?)\n`);
    const worker = await runCli(['worker', '--queue', `redis://127.0.0.1:${port}`], PACKAGE_ROOT);
    expect(worker.code).toBe(2);
    expect(worker.stderr).toBe(`coordgap: cannot reach Redis at redis://127.0.0.1:${port}: connection refused (is redis-server running there, and listening on that interface?)\n`);
  });

  it('worker without --queue says what it needs', async () => {
    const r = await runCli(['worker'], PACKAGE_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('coordgap: worker needs --queue redis://host:port (the Redis the coordinating command enqueues on)\n');
  });
});
