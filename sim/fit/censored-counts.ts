/**
 * The distribution of a count (an agent loop's iterations) from runs some of
 * which were cut short – the product-limit estimator of Kaplan & Meier (1958,
 * "Nonparametric estimation from incomplete observations", JASA 53:457–481)
 * on whole counts.
 *
 * A run that failed inside its loop ended the request before the agent
 * decided to stop: its count is a lower bound, not a value. Leaving such runs
 * out (the earlier fit did) keeps only the runs that finished, and in an agent
 * whose runaways never stop until a failure ends them that drops exactly the
 * long tail – the fitted loop then made 10 calls a request where the traces
 * showed 16.5. The estimator keeps every run in the risk set for as long as it
 * was seen going on.
 *
 * Risk at count k: runs that stopped at k or later, runs cut after k or later
 * (they finished iteration k and went on, or were stopped by a limit), and
 * runs that failed during an iteration after k. A run that failed during
 * iteration k never reached the decision at k, so it is not at risk there.
 */

/** How a run ended: it stopped on its own after `value` iterations, failed during iteration `value`, or was cut after finishing it (a step limit). */
export type CountEnding = 'stopped' | 'failedDuring' | 'cutAfter';

export interface CensoredCount {
  value: number;
  ending: CountEnding;
}

export interface CountDistribution {
  /** P(the run stops after exactly `value` iterations), for every value some run stopped at; ascending. */
  shares: { value: number; share: number }[];
  /** The probability left past the largest count any run stopped at: runs that went on longer than every run that finished. */
  beyond: number;
}

/** Kaplan–Meier over whole counts. Runs must have value ≥ 1; an empty list gives no shares and `beyond` 1. */
export function productLimitCounts(runs: readonly CensoredCount[]): CountDistribution {
  const stops = new Map<number, number>();
  /** Runs that leave the risk set after count k (stopped at k, cut after k, failed during k + 1). */
  const leaveAfter = new Map<number, number>();
  const bump = (m: Map<number, number>, k: number) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const r of runs) {
    if (!(Number.isInteger(r.value) && r.value >= 1)) throw new RangeError(`a count must be a whole number ≥ 1, got ${r.value}`);
    if (r.ending === 'stopped') bump(stops, r.value);
    bump(leaveAfter, r.ending === 'failedDuring' ? r.value - 1 : r.value);
  }
  // Runs that failed during iteration 1 were never at risk of stopping: they leave "after 0".
  let atRisk = runs.length - (leaveAfter.get(0) ?? 0);
  let surviving = 1;
  const shares: { value: number; share: number }[] = [];
  const counts = [...new Set([...stops.keys(), ...leaveAfter.keys()])].filter((k) => k >= 1).sort((a, b) => a - b);
  for (const k of counts) {
    const d = stops.get(k) ?? 0;
    if (d > 0) {
      const share = surviving * (d / atRisk);
      shares.push({ value: k, share });
      surviving -= share;
    }
    atRisk -= leaveAfter.get(k) ?? 0;
  }
  // The last stop leaves `surviving` exactly 0 when every later run stopped too; clamp rounding.
  return { shares, beyond: Math.max(0, surviving) };
}
