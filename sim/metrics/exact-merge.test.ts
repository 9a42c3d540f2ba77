/**
 * Merging replications gives the same figures whatever the order and grouping
 * (issue 18's exact merge): the same eight replications merged in several
 * random groupings – pairs of pairs, left folds, right folds, through JSON in
 * between as a shard's file would carry them – produce byte-identical result
 * JSON. Without exact sums a float figure (busy time, spend, a latency sum
 * behind the mean) differs in its last bits between groupings; the first test
 * shows that it would.
 */
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { modelOf } from '../test-support.js';
import { runReplication } from '../path/index.js';
import { buildResult, RunCollector } from './index.js';
import { ExactSum } from '../kernel/index.js';

const model = modelOf({
  name: 'merge',
  seed: 11,
  requests: 400,
  arrivals: { kind: 'poisson', rate: 30 },
  pools: { cpu: { servers: 3, pricePerHourUsd: 0.731 }, llm: { kind: 'external', servers: 8 } },
  stages: [
    { id: 'plan', pool: 'llm', latency: { dist: 'lognormal', median: 300, p99: 2000 }, faults: { error: 0.05 }, retry: { maxAttempts: 3 }, tokens: { input: 1234, output: 321, inputPricePerMTokUsd: 3, outputPricePerMTokUsd: 15 } },
    { id: 'work', pool: 'cpu', latency: { dist: 'gamma', shape: 2.3, scale: 17.1 }, faults: { corruption: 0.02, timeout: 0.01 }, timeout: 200 },
  ],
});

const leaves = (): RunCollector[] => Array.from({ length: 8 }, (_, i) => runReplication(model, i));
const clone = (c: RunCollector) => RunCollector.fromJSON(JSON.parse(JSON.stringify(c.toJSON())));

/** Merges a list by a random binary tree of merges, each intermediate through JSON (as a shard's partial merge would travel). */
function mergeRandomly(list: RunCollector[], rng: () => number): RunCollector {
  let pool = list.map(clone);
  while (pool.length > 1) {
    const i = Math.floor(rng() * pool.length);
    const a = pool.splice(i, 1)[0];
    const j = Math.floor(rng() * pool.length);
    const b = pool.splice(j, 1)[0];
    a.merge(b);
    pool.push(clone(a));
  }
  return pool[0];
}

const resultJson = (c: RunCollector) => JSON.stringify(buildResult(model, c, { replications: 8, version: 'test', scenarioHash: '', node: '' }));

describe('exact merge', () => {
  it('plain float addition depends on grouping (why exact sums are needed)', () => {
    expect((0.1 + 0.2) + 0.3).not.toBe(0.1 + (0.2 + 0.3));
    expect(new ExactSum(0.1).add(0.2).add(0.3).value).toBe(new ExactSum(0.3).addSum(new ExactSum(0.2).add(0.1)).value);
    // The sum is the float nearest the true one: 0.1 + 0.2 + 0.3 as reals is 0.6000000000000000055511151231257827… → 0.6.
    expect(new ExactSum(0.1).add(0.2).add(0.3).value).toBe(0.6);
  });

  it('the same replications merged in five random groupings give byte-identical results', () => {
    const reference = resultJson(mergeRandomly(leaves(), seedrandom('grouping-0')));
    for (let g = 1; g < 5; g++) expect(resultJson(mergeRandomly(leaves(), seedrandom(`grouping-${g}`)))).toBe(reference);
    // …and the left fold a one-machine run makes.
    const [first, ...rest] = leaves();
    for (const c of rest) first.merge(c);
    expect(resultJson(first)).toBe(reference);
  });
});
