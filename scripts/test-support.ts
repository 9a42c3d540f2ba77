/** Shared by the CLI tests (not part of the package's surface): run `main` in-process and capture its output. */
import { Writable } from 'node:stream';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';

export class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

export async function runCli(args: string[], cwd: string, workerUrl?: URL): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(args, { stdout, stderr, isTTY: false, cwd, ...(workerUrl ? { workerUrl } : {}) });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A one-stage scenario of 50 requests; `extra` adds top-level keys (a trace, a hardware config …). */
export const tinyScenario = (extra: string, arrivals = '{ kind: poisson, rate: 10/s }') => `name: x
seed: 1
requests: 50
${extra}
arrivals: ${arrivals}
pools:
  cpu: { servers: 2 }
stages:
  - id: a
    pool: cpu
    latency: { dist: exponential, mean: 4ms }
`;

/** A fresh folder under the OS temp directory: under vitest, a run-… folder in out/test-tmp (test-temp.global-setup.ts), removed when the run ends. */
export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));
