import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './test-support.js';

let dir: string;
const cli = (args: string[]) => runCli(args, dir);

/** `deadline: 30` meant 30 s; the path takes about 1.2 s. */
const SCENARIO = `name: w
requests: 300
deadline: 30
arrivals: { kind: poisson, rate: 1/s }
pools:
  cpu: { servers: 4 }
stages:
  - { id: plan, pool: cpu, latency: 600ms }
  - { id: act, pool: cpu, latency: 600ms }
variants:
  - { name: fixed, kind: coordination, patch: { deadline: 30s } }
sweep:
  parameters: { arrivals.rate: [1, 2] }
`;

const WARNING =
  "s.yaml:3:11 warning: deadline: 30 is 30 ms (a bare number is milliseconds), shorter than the path's median latency of about 1.2 s " +
  "(the sum of its stages' median service times, before any queueing or retry): about half the requests or more will time out; " +
  'write 30s if seconds were meant, or 30ms to keep it\n';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'coordgap-warn-'));
  writeFileSync(join(dir, 's.yaml'), SCENARIO);
});

describe('scenario warnings in every command', () => {
  it('validate prints them on stderr and still exits 0; --json carries them', async () => {
    const r = await cli(['validate', 's.yaml']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(WARNING);
    expect(r.stdout).toMatch(/^s\.yaml: valid – 2 stages/);
    const j = await cli(['validate', 's.yaml', '--json']);
    expect(JSON.parse(j.stdout)).toEqual({
      file: 's.yaml',
      valid: true,
      stages: 2,
      pools: 1,
      requests: 300,
      variants: 1,
      hardware: [],
      warnings: [
        {
          file: 's.yaml',
          line: 3,
          col: 11,
          path: 'deadline',
          code: 'deadline-below-median',
          message: WARNING.slice('s.yaml:3:11 warning: deadline: '.length, -1),
        },
      ],
    });
  });

  it('run, compare and sweep print them before running and put them in --json', async () => {
    for (const args of [['run'], ['compare'], ['sweep']]) {
      const r = await cli([...args, 's.yaml', '--json', '--threads', '1', '--replications', '1']);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe(WARNING);
      const doc = JSON.parse(r.stdout);
      expect(doc.warnings.map((w: { code: string; line: number }) => [w.code, w.line])).toEqual([['deadline-below-median', 3]]);
    }
  });

  it('a scenario without likely mistakes has an empty list', async () => {
    writeFileSync(join(dir, 'ok.yaml'), SCENARIO.replace('deadline: 30\n', 'deadline: 30s\n'));
    const r = await cli(['run', 'ok.yaml', '--json', '--threads', '1']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).warnings).toEqual([]);
  });
});
