/**
 * `--queue rediss://`: the coordinator and a worker reach a redis-server over
 * TLS (its tls-port, a self-signed certificate made with openssl for the test,
 * trusted through NODE_EXTRA_CA_CERTS as the README says) and the run equals
 * the local one; without that CA the certificate is refused, with a clear
 * message. Children run dist/: `npm run build` first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../experiments/version.js';
import { freePort, startRedis, type RedisServer } from '../experiments/queue/redis-server.test-support.js';
import { runCli, tempDir } from './test-support.js';

const CLI = join(PACKAGE_ROOT, 'dist', 'scripts', 'cli.js');
const RUN = ['run', join('scenarios', 'six-step-97.yaml'), '--requests', '500', '--replications', '3', '--json'];

let redis: RedisServer;
let tlsPort: number;
let certDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  certDir = tempDir('coordgap-tls-');
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem'), '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl could not make the test certificate (the TLS test needs the openssl command): ${made.error?.message ?? made.stderr}`);
  tlsPort = await freePort();
  const cert = join(certDir, 'cert.pem');
  redis = await startRedis(['--tls-port', String(tlsPort), '--tls-cert-file', cert, '--tls-key-file', join(certDir, 'key.pem'), '--tls-ca-cert-file', cert, '--tls-auth-clients', 'no']);
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await redis?.stop();
  rmSync(certDir, { recursive: true, force: true });
});

function cli(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: PACKAGE_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d.toString()));
  child.stderr!.on('data', (d) => (stderr += d.toString()));
  return { child, done: new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr }))) };
}

describe('--queue rediss:// (TLS)', () => {
  it('runs through a TLS-only connection and gives the local result; an untrusted certificate is refused by name', async () => {
    const url = `rediss://localhost:${tlsPort}`;
    const trusted = { NODE_EXTRA_CA_CERTS: join(certDir, 'cert.pem') };
    const refused = await runCli([...RUN, '--queue', url], PACKAGE_ROOT);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`coordgap: cannot reach Redis at ${url}: self-signed certificate\n`);

    const worker = cli(['worker', '--queue', url, '--concurrency', '1'], trusted);
    await new Promise<void>((resolve, reject) => {
      worker.child.stdout!.once('data', () => resolve());
      void worker.done.then((r) => reject(new Error(`worker exited ${r.code}: ${r.stderr}`)));
    });
    const queued = await cli([...RUN, '--queue', url], trusted).done;
    const local = await runCli(RUN, PACKAGE_ROOT);
    expect(queued.stderr).toBe('');
    expect(queued.code).toBe(0);
    expect(queued.stdout).toBe(local.stdout);
    worker.child.kill('SIGTERM');
    expect((await worker.done).code).toBe(0);
  }, 120_000);
});
