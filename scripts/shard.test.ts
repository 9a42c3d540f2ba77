/**
 * `--shard k/N` and `coordgap merge` (issue 18): for every command that
 * shards, the shards merged in a shuffled order write the same files, byte
 * for byte, and print the same, as one machine's run; and merge refuses – with
 * what is wrong and what to do – a missing shard, a shard given twice, shards
 * of different commands or scenarios, an unfinished shard, a changed or
 * misplaced result, a changed scenario file and another version's shard.
 */
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runCli, tempDir } from './test-support.js';
import { SHARD_FILE, inShard, parseShard, shardCommand, shareSize } from '../experiments/shard.js';
import { STATE_FILE } from '../experiments/checkpoint.js';

const SCENARIO = `name: shards
seed: 5
requests: 400
arrivals: { kind: poisson, rate: 50/s }
pools: { cpu: { servers: 6 } }
stages:
  - { id: a, pool: cpu, latency: 10ms, faults: { error: 0.05 } }
  - { id: b, pool: cpu, latency: { dist: lognormal, median: 20ms, p99: 90ms }, faults: { corruption: 0.08 } }
uncertainty:
  stages.a.faults.error: { dist: beta, alpha: 41, beta: 961 }
sweep:
  parameters:
    stages.b.faults.corruption: [0, 0.04, 0.08]
variants:
  - name: fix-a
    kind: coordination
    patch: { stages: { a: { faults: { error: 0 } } } }
  - name: fix-b
    kind: coordination
    patch: { stages: { b: { faults: { corruption: 0.02 } } } }
`;

/** Every file under `dir` (relative path → bytes), hidden ones included. */
function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'latin1'));
    }
  };
  walk(dir);
  return out;
}

function setup(): { dir: string; file: string } {
  const dir = tempDir('coordgap-shard-');
  writeFileSync(join(dir, 'shards.yaml'), SCENARIO);
  return { dir, file: 'shards.yaml' };
}

/** Runs `args` on one machine and in `n` shards, merges them in a shuffled order; returns both runs. */
async function oneAndMerged(dir: string, args: string[], n: number) {
  const one = await runCli([...args, '--out', 'one'], dir);
  const shardDirs: string[] = [];
  for (let k = 1; k <= n; k++) {
    const s = await runCli([...args, '--shard', `${k}/${n}`, '--out', `s${k}`, '--threads', String(1 + (k % 2))], dir);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toBe('');
    expect(s.stderr).toMatch(new RegExp(`^coordgap: shard ${k}/${n}: (\\d+) of its \\1 tasks`));
    shardDirs.push(`s${k}`);
  }
  const merged = await runCli(['merge', ...shardDirs.reverse(), '--out', 'merged'], dir);
  return { one, merged };
}

describe('--shard k/N and coordgap merge', () => {
  const cases: [string, string[], number][] = [
    ['run', ['run', 'shards.yaml', '--replications', '5'], 3],
    ['compare', ['compare', 'shards.yaml', '--replications', '4'], 3],
    ['compare --uncertainty (a state per draw)', ['compare', 'shards.yaml', '--replications', '2', '--uncertainty', '3'], 2],
    ['sweep', ['sweep', 'shards.yaml', '--replications', '3'], 4],
    ['sensitivity', ['sensitivity', 'shards.yaml', '--replications', '2'], 2],
    ['report (comparison, ranking and study)', ['report', 'shards.yaml', '--replications', '2'], 3],
  ];
  for (const [name, args, n] of cases)
    it(`${name}: the merged shards write and print what one machine does, byte for byte`, async () => {
      const { dir } = setup();
      const { one, merged } = await oneAndMerged(dir, args, n);
      expect(one.code, one.stderr).toBe(0);
      expect(merged.code, merged.stderr).toBe(0);
      // A report names the directory it wrote to; the rest of what is printed is the same.
      expect(merged.stdout.replaceAll(join(dir, 'merged'), join(dir, 'one'))).toBe(one.stdout);
      expect(merged.stderr).toMatch(/^coordgap: merged \d+ shards, \d+ tasks; writing the results of coordgap /);
      const a = files(join(dir, 'one'));
      const b = files(join(dir, 'merged'));
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [path, bytes] of a) expect(b.get(path) === bytes, path).toBe(true);
      // No resume state is left behind: the merged directory is what one machine leaves.
      expect([...b.keys()].some((p) => p.startsWith('.coordgap-state'))).toBe(false);
    }, 120_000);

  it('refuses what is not one whole experiment, saying what is wrong', async () => {
    const { dir } = setup();
    const args = ['compare', 'shards.yaml', '--replications', '3'];
    for (const k of [1, 2, 3]) expect((await runCli([...args, '--shard', `${k}/3`, '--out', `s${k}`], dir)).code).toBe(0);
    const merge = (...a: string[]) => runCli(['merge', ...a], dir);

    let r = await merge('s1', 's3', '--out', 'm');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('coordgap: shard 2/3 is missing: the experiment was cut into 3; give every shard\'s directory\n');

    r = await merge('s1', 's2', 's2', 's3', '--out', 'm');
    expect(r.stderr).toBe('coordgap: shard 2/3 is given twice: s2 and s2 – give each shard\'s directory once\n');

    // Another seed is another experiment, whatever its shard says.
    expect((await runCli([...args, '--seed', '9', '--shard', '2/3', '--out', 'other'], dir)).code).toBe(0);
    r = await merge('s1', 'other', 's3', '--out', 'm');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^coordgap: other and s1 are shards of different experiments: their commands differ \(coordgap compare shards\.yaml --replications 3 --seed 9 vs/);

    // An unfinished shard: one finished task taken out of its state.
    const state = JSON.parse(readFileSync(join(dir, 's2', STATE_FILE), 'utf8'));
    const partial = join(dir, 'partial');
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial);
    for (const f of [STATE_FILE, SHARD_FILE]) {
      const src = join(dir, 's2', f);
      const dst = join(partial, f);
      if (f === STATE_FILE) {
        const kept = { ...state, done: Object.fromEntries(Object.entries(state.done).slice(1)) };
        writeFileSync(dst, JSON.stringify(kept), { flag: 'w' });
      } else copyFileSync(src, dst);
    }
    r = await merge('s1', 'partial', 's3', '--out', 'm');
    expect(r.stderr).toMatch(/^coordgap: not every task has finished – unfinished shards: 2\/3 \(partial: 2 of 3\); run each again with its --shard k\/N and --out DIR plus --resume, then merge\n$/);

    // A result changed by hand fails its checksum.
    const tampered = JSON.parse(JSON.stringify(state));
    const first = Object.keys(tampered.done)[0];
    tampered.done[first].result.scalars.requestsFinished += 1;
    writeFileSync(join(partial, STATE_FILE), JSON.stringify(tampered));
    r = await merge('s1', 'partial', 's3', '--out', 'm');
    expect(r.stderr).toMatch(/^coordgap: cannot merge partial\/\.coordgap-state\.json: the saved result of task \d+ does not match its checksum/);

    // Shard 1's state in shard 2's directory: its tasks are not shard 2's.
    copyFileSync(join(dir, 's1', STATE_FILE), join(partial, STATE_FILE));
    r = await merge('s1', 'partial', 's3', '--out', 'm');
    expect(r.stderr).toBe("coordgap: partial/.coordgap-state.json holds task 0, which is shard 1/3's, not 2/3's: the directory mixes shards – run that shard again into an empty directory\n");

    // Another version's shard.
    const manifest = JSON.parse(readFileSync(join(dir, 's3', SHARD_FILE), 'utf8'));
    writeFileSync(join(partial, SHARD_FILE), JSON.stringify({ ...manifest, version: '0.0.1' }));
    r = await merge('s1', 's2', 'partial', '--out', 'm');
    expect(r.stderr).toMatch(/^coordgap: partial\/coordgap-shard\.json was written by coordgap 0\.0\.1; this is /);

    // Not a shard at all.
    r = await merge('s1', 's2', 'nowhere', '--out', 'm');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nowhere is not a shard's directory/);

    // The scenario changed since the shards ran: nothing is written from stale shards.
    writeFileSync(join(dir, 'shards.yaml'), SCENARIO.replace('seed: 5', 'seed: 6'));
    r = await merge('s1', 's2', 's3', '--out', 'm');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/shards\.yaml is not the scenario the shards ran \(its content hash is [0-9a-f]+, theirs [0-9a-f]+\)/);
    expect(readdirSync(join(dir, 'm')).filter((f) => f.startsWith('results'))).toEqual([]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('refuses a bad --shard, a shard without --out, and what cannot be sharded', async () => {
    const { dir } = setup();
    for (const bad of ['0/3', '4/3', '3', 'a/b', '1/0'])
      expect((await runCli(['run', 'shards.yaml', '--shard', bad, '--out', 'x'], dir)).stderr).toMatch(/--shard takes k\/N – this shard's number k from 1 to N/);
    expect((await runCli(['run', 'shards.yaml', '--shard', '1/2'], dir)).stderr).toBe(
      'coordgap: --shard needs --out DIR: the shard keeps its finished tasks there for coordgap merge (one directory per shard)\n',
    );
    const portfolio = await runCli(['portfolio', 'shards.yaml', '--budget', '1000', '--shard', '1/2', '--out', 'p'], dir);
    expect(portfolio.code).toBe(2);
    expect(portfolio.stderr).toMatch(/a portfolio search cannot be sharded/);
    const report = await runCli(['report', 'shards.yaml', '--budget', '1000', '--shard', '1/2', '--out', 'p'], dir);
    expect(report.stderr).toMatch(/--budget runs the portfolio search, which cannot be sharded/);
  }, 60_000);

  it('a shard run again into its own directory replaces its manifest; --json prints the shard as one document', async () => {
    const { dir } = setup();
    const args = ['compare', 'shards.yaml', '--replications', '2', '--shard', '2/2', '--out', 's2'];
    expect((await runCli(args, dir)).code).toBe(0);
    const again = await runCli([...args, '--json'], dir);
    expect(again.code, again.stderr).toBe(0);
    const doc = JSON.parse(again.stdout);
    expect(doc).toMatchObject({ shard: '2/2', dir: 's2', manifest: SHARD_FILE, tasks: 3, done: 3, warnings: [] });
    expect(doc.steps).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dir, 's2', SHARD_FILE), 'utf8'))).toMatchObject({ command: ['compare', 'shards.yaml', '--replications', '2'], shard: { index: 1, count: 2 } });
  }, 60_000);

  it('records the command less the options that do not change what it computes', () => {
    expect(shardCommand(['compare', 'f.yaml', '--shard', '2/4', '--out=o', '--threads', '2', '--json', '--seed', '3', '--resume', '--set', 'a=1'])).toEqual([
      'compare',
      'f.yaml',
      '--seed',
      '3',
      '--set',
      'a=1',
    ]);
    expect(parseShard('3/8')).toEqual({ index: 2, count: 8 });
    // A shard's share size is the number of tasks round-robin gives it.
    for (const tasks of [0, 1, 7, 8, 9, 23])
      for (const count of [1, 3, 8])
        for (let index = 0; index < count; index++)
          expect(shareSize(tasks, { index, count })).toBe(Array.from({ length: tasks }, (_, i) => i).filter((i) => inShard(i, { index, count })).length);
  });
});
