/**
 * What `coordgap merge` costs: `npm run bench:merge [-- SHARDS]`. Runs the
 * headline scenario (scenarios/fintech-underwriting.yaml, 500 requests a
 * replication) as SHARDS replications (default 1,000) on one machine, then
 * as SHARDS shards of one task each, and merges the shards RUNS times into
 * fresh directories, printing the median and range of the merge's wall time
 * (reading and checking every shard's manifest and state, joining them, and
 * writing the one-machine files from the joined state) beside the
 * one-machine run's, and whether the merged results.json is byte-identical
 * to it. In-process (scripts/test-support.ts runCli), so process start-up is
 * not counted for either.
 *
 * A benchmark, not a test: it prints figures and asserts nothing (DESIGN.md
 * "Benchmarks vs tests").
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from 'simple-statistics';
import { runCli } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';

const RUNS = 3;
const shards = Number(process.argv[2] ?? 1000);
if (!Number.isInteger(shards) || shards < 1) {
  process.stderr.write(`usage: npm run bench:merge [-- SHARDS] (a whole number of shards, default 1000); got "${process.argv[2]}"\n`);
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'coordgap-bench-merge-'));
const args = ['run', join(PACKAGE_ROOT, 'scenarios', 'fintech-underwriting.yaml'), '--requests', '500', '--replications', String(shards), '--threads', '1'];

async function timed(argv: string[]): Promise<number> {
  const t0 = performance.now();
  const r = await runCli(argv, dir);
  const ms = performance.now() - t0;
  if (r.code !== 0) throw new Error(`coordgap ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
  return ms;
}

try {
  const oneMs = await timed([...args, '--out', 'one']);
  const t0 = performance.now();
  const dirs: string[] = [];
  // A shard whose task failed (exit 3) is run again with --resume, as a batch system's retry would.
  let retried = 0;
  for (let k = 1; k <= shards; k++) {
    const shard = [...args, '--shard', `${k}/${shards}`, '--out', join('shards', String(k))];
    if ((await runCli(shard, dir)).code === 3) {
      retried++;
      await timed([...shard, '--resume']);
    }
    dirs.push(join('shards', String(k)));
  }
  const shardsMs = performance.now() - t0;
  const mergeMs: number[] = [];
  let identical = true;
  for (let i = 0; i < RUNS; i++) {
    mergeMs.push(await timed(['merge', ...dirs, '--out', `merged-${i}`]));
    identical &&= readFileSync(join(dir, `merged-${i}`, 'results.json'), 'utf8') === readFileSync(join(dir, 'one', 'results.json'), 'utf8');
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  process.stdout.write(
    [
      `coordgap merge of ${shards.toLocaleString('en-US')} shards (fintech-underwriting, ${shards.toLocaleString('en-US')} replications of 500 requests, one task a shard)`,
      `  one machine, --threads 1:        ${s(oneMs)}`,
      `  ${shards.toLocaleString('en-US')} shards, one after another:  ${s(shardsMs)} (${(shardsMs / shards).toFixed(0)} ms a shard: each plans the whole experiment, runs its task, writes its state and manifest)`,
      `  merge (${RUNS} runs):              median ${s(median(mergeMs))}, range ${s(Math.min(...mergeMs))} – ${s(Math.max(...mergeMs))}`,
      `  shards run again with --resume after a failed task: ${retried}`,
      `  merged results.json byte-identical to one machine's: ${identical ? 'yes' : 'NO'}`,
      '',
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
