import { describe, expect, it } from 'vitest';
import { reportInput } from '../experiments/report-input.js';
import { provenance, summarySentences } from './summary.js';
import { fintechComparison, fullInput, measuredProfile } from './fixtures/load.js';
import type { ComparisonResult } from '../sim/experiment/index.js';

describe('the plain-language summary', () => {
  it('says what the coordination fix and the compute upgrade each buy, and which buys more (fixture: fintech-underwriting, 3 × 20,000 requests)', () => {
    expect(summarySentences(fullInput())).toMatchInlineSnapshot(`
      [
        "recovery-layer (a coordination fix) raises task success from 65.6 % to 97.4 % (+31.8 pp ± 1.0); gpu-240-to-180ms (a compute upgrade) changes it by +0.0 pp ± 0.0 and p95 latency by −88 ms ± 21 ms (−5.8 %).",
        "On task success the coordination fix buys more than the compute upgrade: their 95 % intervals do not overlap.",
        "Silent failures (wrong results that reached the user unnoticed): 24.7 % of requests in the baseline, 0.1 % with recovery-layer.",
        "Spend per successful request (tokens, compute, human time): $0.0381 in the baseline, $0.289 with recovery-layer (+$0.2511 ± 0.0303, 7.58× the baseline's).",
        "Assumed cost of silent failures (the scenario's $150.00 per silent failure, an assumption, not spend): $56.38 per success in the baseline, $0.200 with recovery-layer (−$56.19 ± 2.26); cost per success = spend + assumed silent-failure cost: $0.0381 + $56.38 = $56.42 in the baseline, $0.289 + $0.200 = $0.489 with recovery-layer.",
        "Fix first, of the options someone can buy: recovery-layer: bureau retry (+3.1 pp ± 0.2 task success on its own; spend −$0.0017 ± 0.0001, assumed silent-failure cost +$0.0147 ± 0.3190 per success). The best compute change ranks 9 of 14 (+0.0 pp ± 0.0, p95 −73 ms ± 15 ms). The largest what-if bound – nobody can buy it; it bounds what fixing that place could give: retrieval→analysis hand-off fault-free, +23.7 pp ± 0.9. The ranking simulated each option on 4 × 10,000 requests, paired with a baseline of its own on the same seeds – not the comparison's 3 × 20,000 (--ranking-requests): its baseline figure and its intervals are its own.",
        "Reliability compounds: 6 steps at 97 % each succeed 83.0 % of the time (closed form 83.3 %); the closed form lies inside the simulated 95 % interval at 55 of 60 points.",
        "Hardware: synthetic-8vcpu (B) runs the kernels 1.41× as fast as epyc-2vcpu (A) (geometric mean over 10); 8 of 10 are faster with the whole 95 % interval above 1×.",
      ]
    `);
  });

  it('puts caveats first: a retry storm and a run cut short in a variant are stated before any figure', () => {
    const c = fintechComparison();
    const gpu = c.variants.find((v) => v.name === 'gpu-240-to-180ms')!;
    const stormy: ComparisonResult = {
      ...c,
      variants: c.variants.map((v) =>
        v !== gpu
          ? v
          : {
              ...v,
              result: {
                ...v.result,
                stability: {
                  stable: true,
                  arrivals: 'open',
                  arrivalRatePerSec: 0.5,
                  pools: [],
                  note: '',
                  attemptsPerRequest: { expected: 5, measured: 40 },
                  workAmplified: true,
                  truncated: true,
                  truncatedAtMs: 250_400,
                  truncatedRequests: 1234,
                  truncatedRuns: 3,
                  truncatedBy: 'events',
                },
              },
            },
      ),
    };
    const lines = summarySentences(reportInput({ comparison: stormy }));
    expect(lines[0]).toMatch(/^Warning – gpu-240-to-180ms: 40\.0 attempts per request, 8\.0× the 5\.00 its fault rates explain: .*retry storm/);
    expect(lines[1]).toBe(
      'Warning – gpu-240-to-180ms: run cut short at 250.4 s simulated in 3 of 3 replications: the event limit (limits.maxEvents / --max-events) was reached; the 1,234 requests without an outcome are counted as rejected',
    );
    expect(lines[2]).toMatch(/^recovery-layer \(a coordination fix\)/);
    expect(summarySentences(fullInput()).some((l) => l.startsWith('Warning'))).toBe(false);
  });

  it('says nothing about cost when the scenario has no prices, and only what it has when it has one kind', () => {
    const c = fintechComparison();
    const zero = { total: 0, perRequest: 0, perSuccess: 0 };
    type Cost = ComparisonResult['baseline']['costUsd'];
    const priced = (change: (x: Cost) => Cost) => {
      const f = (r: ComparisonResult['baseline']) => ({ ...r, costUsd: change(r.costUsd) });
      return reportInput({ comparison: { ...c, baseline: f(c.baseline), variants: c.variants.map((v) => ({ ...v, result: f(v.result) })) } });
    };
    const costLines = (lines: string[]) => lines.filter((l) => /^(Spend|Assumed cost)/.test(l));
    const noSpend = (x: Cost): Cost => ({ ...x.assumedPenalty, breakdown: { ...x.breakdown, tokens: 0, compute: 0, human: 0 }, spend: zero, assumedPenalty: x.assumedPenalty });
    const noPenalty = (x: Cost): Cost => ({ ...x.spend, breakdown: { ...x.breakdown, silentFailure: 0 }, spend: x.spend, assumedPenalty: { ...zero, perSilentFailure: 0 } });
    expect(costLines(summarySentences(priced((x) => noPenalty(noSpend(x)))))).toEqual([]);
    expect(costLines(summarySentences(priced(noSpend))).map((l) => l.slice(0, 13))).toEqual(['Assumed cost ']);
    expect(costLines(summarySentences(priced(noPenalty)))).toEqual([
      "Spend per successful request (tokens, compute, human time): $0.0381 in the baseline, $0.289 with recovery-layer (+$0.2511 ± 0.0303, 7.58× the baseline's).",
    ]);
  });

  it('names seed, sample size, version, scenario hash and file', () => {
    expect(provenance(fullInput())).toBe(
      'fintech-underwriting · seed 1 · 3 × 20,000 requests per arm, same seeds · coordgap 0.1.0 · scenario hash f3ca93214e5fb065 · scenarios/fintech-underwriting.yaml',
    );
  });

  it('does not call a winner when the intervals overlap', () => {
    const c = fintechComparison();
    const close: ComparisonResult = {
      ...c,
      variants: c.variants.map((v) =>
        v.kind === 'coordination' ? { ...v, delta: { ...v.delta, successRate: { estimate: 0.004, ci95: [-0.002, 0.01] } } } : v,
      ),
    };
    const [, verdict] = summarySentences(reportInput({ comparison: close }));
    expect(verdict).toBe('Their 95 % intervals for task success overlap: this run cannot tell which buys more.');
    expect(summarySentences(reportInput({ comparison: close }))[0]).toContain('recovery-layer (a coordination fix) changes task success by +0.4 pp ± 0.6');
  });

  it('with only compute variants: one sentence on what the upgrade buys, no verdict', () => {
    const c = fintechComparison();
    const computeOnly = { ...c, variants: c.variants.filter((v) => v.kind === 'compute') };
    expect(summarySentences(reportInput({ comparison: computeOnly })).slice(0, 1)).toEqual([
      "gpu-240-to-180ms (a compute upgrade) changes task success by +0.0 pp ± 0.0 and changes p95 latency by −88 ms ± 21 ms (−5.8 %).",
    ]);
  });

  it('with no variants: the baseline with its interval', () => {
    const c = fintechComparison();
    expect(summarySentences(reportInput({ comparison: { ...c, variants: [] } }))[0]).toBe(
      'Task success is 65.6 % (65.3 % to 66.0 %, 95 % interval); the other requests ended failed 8.7 %, timed out 1.0 %, silent failure 24.7 %; p95 latency of successful requests 1,518 ms. The scenario has no variants: this report is the baseline alone.',
    );
  });

  it('with one hardware profile: the machine it was measured on', () => {
    const lines = summarySentences(reportInput({ comparison: fintechComparison(), profiles: [measuredProfile()] }));
    expect(lines.at(-1)).toMatch(/^Hardware profile epyc-2vcpu: .+, 2 logical CPUs, 10 kernels measured\.$/);
  });
});
