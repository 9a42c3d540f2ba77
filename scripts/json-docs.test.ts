import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';

/** `npm run <args>` in the checkout (the compiled CLI in dist/, as users run it); its stdout. */
function npmRun(args: string[]): string {
  const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', ...args], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stdout;
}

const SIM = ['sim', '--', join('scenarios', 'six-step-97.yaml'), '--json', '--requests', '1000', '--threads', '1'];

describe('--json through npm (issue 11.16)', () => {
  it('npm run prints its banner on stdout, so only npm run --silent gives a JSON document', () => {
    expect(() => JSON.parse(npmRun(SIM))).toThrow();
    expect(JSON.parse(npmRun(['--silent', ...SIM])).requests).toBe(1000);
  });

  it('the README shows no `npm run … --json` without --silent', () => {
    const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
    // Every code span, and every line of a code block, that runs an npm script with --json.
    const spans = [...readme.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
    const blockLines = [...readme.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].flatMap((m) => m[1].split('\n'));
    const commands = [...spans, ...blockLines];
    const npmJson = commands.filter((c) => /\bnpm run\b/.test(c) && /--json\b/.test(c));
    expect(npmJson.length).toBeGreaterThan(0); // the README does say how
    for (const c of npmJson) expect(c).toMatch(/npm run --silent /);
  });

  it('--help says so where --json is offered', async () => {
    for (const command of ['run', 'compare', 'sweep', 'sensitivity', 'validate', 'bench-sim']) {
      const r = await runCli([command, '--help'], PACKAGE_ROOT);
      expect(r.code).toBe(0);
      expect(r.stdout.replace(/\s+/g, ' ')).toContain('(through npm: npm run --silent … --json, or npm\'s banner comes first)');
    }
  });
});
