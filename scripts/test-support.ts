/** Shared by the CLI tests (not part of the package's surface): run `main` in-process and capture its output. */
import { Writable } from 'node:stream';
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
