/**
 * The what-if page's controls, read off the scenario: the parameters a reader
 * most often wants to argue with, each as the `--set` path that changes it,
 * so the page's overrides are the command line's (`coordgap run FILE --set
 * stages.bureau.faults.error=0.02`). Every stage gets its error and
 * corruption rates; a timeout rate, a hand-off's context loss or format
 * mismatch, a validation catch rate and a retry limit where the stage has
 * them; then the traffic and the assumed cost of a silent failure.
 *
 * A hardware speed factor is not among them: it lives in the hardware
 * config the scenario names (a file), not in the scenario, so no `--set`
 * can change it and the CLI could not reproduce the page's figure.
 */
import { poolKindOf, type Scenario } from '../../sim/scenario/index.js';
import { DEFAULT_MAX_ATTEMPTS } from '../../sim/policies/index.js';

/** What a control's number is: how the page labels it and which values it takes. */
export type WhatIfUnit = 'probability' | 'attempts' | 'retries' | 'perSec' | 'ms' | 'users' | 'usd' | 'factor';

export interface WhatIfControl {
  /** The `--set` path: stages.<id>.faults.error. */
  path: string;
  /** Heading of the group it is shown in: the stage id, or "Traffic and costs". */
  group: string;
  /** What it is, in words: "error rate per attempt". */
  label: string;
  unit: WhatIfUnit;
  /** The value the scenario has (after the report's own --set). */
  value: number;
  /** The slider's range and step; the number field takes any value the scenario would (the worker validates it). */
  min: number;
  max: number;
  step: number;
}

/** A power of ten at or below x: 0.037 → 0.01. */
const decade = (x: number): number => 10 ** Math.floor(Math.log10(x));
/** x rounded up to a multiple of `step`, kept free of binary noise (0.30000000000000004). */
const ceilTo = (x: number, step: number): number => Number((Math.ceil(x / step - 1e-9) * step).toPrecision(12));

/** A probability's slider: 0 to about twice the value (at least 0.1), fine enough for rates of a few per thousand. */
function probability(path: string, group: string, label: string, value: number, wide = false): WhatIfControl {
  const max = wide ? 1 : Math.min(1, Math.max(0.1, ceilTo(value * 2, 0.05)));
  return { path, group, label, unit: 'probability', value, min: 0, max, step: max <= 0.1 ? 0.001 : 0.005 };
}

/** A positive quantity's slider: a step about a twentieth of the value, up to four times it. */
function positive(path: string, group: string, label: string, unit: WhatIfUnit, value: number): WhatIfControl {
  const step = decade(value / 20);
  return { path, group, label, unit, value, min: step, max: ceilTo(value * 4, step), step };
}

function count(path: string, group: string, label: string, unit: WhatIfUnit, value: number, min: number): WhatIfControl {
  return { path, group, label, unit, value, min, max: Math.max(10, value * 2), step: 1 };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The controls for `scenario`, in the order the page shows them. `data` is
 * the scenario as written (LoadedScenario.input), which says whether a retry
 * limit is written as maxAttempts or maxRetries – the one the file uses is
 * the one a --set may change (a stage may not give both).
 */
export function whatIfControls(scenario: Scenario, data: unknown): WhatIfControl[] {
  const controls: WhatIfControl[] = [];
  const written = isRecord(data) && Array.isArray(data.stages) ? data.stages : [];
  scenario.stages.forEach((stage, i) => {
    // A stage is addressed by id, as a user would write it; an id with a dot in it would split the path, so by index.
    const at = `stages.${stage.id.includes('.') ? i : stage.id}`;
    const group = stage.id;
    const faults = stage.faults;
    controls.push(probability(`${at}.faults.error`, group, 'error rate per attempt (loud)', faults?.error ?? 0));
    controls.push(probability(`${at}.faults.corruption`, group, 'corruption rate per attempt (silent)', faults?.corruption ?? 0));
    if ((faults?.timeout ?? 0) > 0) controls.push(probability(`${at}.faults.timeout`, group, 'hang rate per attempt (until the timeout)', faults!.timeout));
    if (stage.handoff?.contextLoss !== undefined) controls.push(probability(`${at}.handoff.contextLoss`, group, 'context loss on the hand-off into it', stage.handoff.contextLoss));
    if (stage.handoff?.formatMismatch !== undefined)
      controls.push(probability(`${at}.handoff.formatMismatch`, group, 'format mismatch on the hand-off into it', stage.handoff.formatMismatch));
    if (stage.validate !== undefined) controls.push(probability(`${at}.validate.catchRate`, group, 'validation catch rate', stage.validate.catchRate, true));
    if (stage.retry !== undefined) {
      const raw = written[i];
      const retry = isRecord(raw) && isRecord(raw.retry) ? raw.retry : {};
      const attempts = stage.retry.maxAttempts ?? (stage.retry.maxRetries !== undefined ? stage.retry.maxRetries + 1 : DEFAULT_MAX_ATTEMPTS);
      if (retry.maxRetries !== undefined) controls.push(count(`${at}.retry.maxRetries`, group, 'retries after the first attempt', 'retries', attempts - 1, 0));
      else controls.push(count(`${at}.retry.maxAttempts`, group, 'attempts, the first included', 'attempts', attempts, 1));
    }
  });
  // Hardware speed: a compute pool's speed factor (service times ÷ it), on top of any hardware config's – a quarter as fast to four times.
  for (const [id, pool] of Object.entries(scenario.pools)) {
    const kind = poolKindOf(id, pool.kind);
    // A pool id with a dot in it would split the --set path.
    if ((kind !== 'cpu' && kind !== 'gpu') || id.includes('.')) continue;
    const value = pool.speedFactor ?? 1;
    controls.push({ path: `pools.${id}.speedFactor`, group: 'Hardware', label: `speed of the ${id} pool (${kind}): its service times ÷ this; 1 = as written`, unit: 'factor', value, min: Math.min(0.25, value), max: Math.max(4, value), step: 0.05 });
  }
  const traffic = 'Traffic and costs';
  const a = scenario.arrivals;
  if (a.kind === 'poisson') controls.push(positive('arrivals.rate', traffic, 'arrival rate (requests per second)', 'perSec', a.rate));
  else if (a.kind === 'fixed') controls.push(positive('arrivals.interval', traffic, 'time between arrivals (ms)', 'ms', a.interval));
  else if (a.kind === 'closed') controls.push(count('arrivals.users', traffic, 'users (closed loop)', 'users', a.users, 1));
  const silentUsd = scenario.costs?.silentFailureUsd ?? 0;
  const usdMax = Math.max(100, ceilTo(silentUsd * 4, 10));
  controls.push({ path: 'costs.silentFailureUsd', group: traffic, label: 'assumed cost of one silent failure (USD)', unit: 'usd', value: silentUsd, min: 0, max: usdMax, step: decade(usdMax / 200) });
  return controls;
}
