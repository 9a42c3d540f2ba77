/**
 * A reader that closes the pipe early (`coordgap … | head`) ends the command
 * quietly: exit 0, no stack trace about EPIPE.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../experiments/version.js';

describe('a closed stdout', () => {
  it('ends the command quietly when the reader has gone', async () => {
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'dist', 'scripts', 'cli.js'), 'run', join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml'), '--requests', '2000', '--json'], {
      cwd: PACKAGE_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader goes away before the command has written anything: its first write meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Error|at /);
    expect(code).toBe(0);
  }, 60_000);
});
