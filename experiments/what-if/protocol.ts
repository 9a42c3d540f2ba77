/**
 * What crosses the boundary between the report page and its what-if worker
 * (worker.ts): the scenario the report was made from, and one run's
 * overrides in; the run's result, or why there is none, out. Plain data,
 * since it travels by postMessage (structured clone).
 */
import type { ResolvedHardware } from '../../sim/scenario/index.js';
import type { RunResult } from '../../sim/metrics/index.js';

/**
 * The scenario as `coordgap report` loaded it: its data after the report's
 * own `--set`s (LoadedScenario.input), the hardware config it names,
 * resolved (the page reads no files), and the arrival trace it names, if any.
 */
export interface WhatIfScenario {
  /** How messages name the scenario: the file as given to the CLI. */
  file: string;
  /** The scenario data, as JSON: what parseSource read from the file, with the report's --set applied. */
  data: unknown;
  hardware?: ResolvedHardware;
  traceTimestampsMs?: number[];
  /** coordgap's version, for the result's meta. */
  version: string;
}

/** One run: `sets` are `--set path=value` arguments in the order the CLI applies them (scripts/command-options.ts `overrides`: the --set list, then seed=, then requests=). */
export interface WhatIfRequest {
  id: number;
  scenario: WhatIfScenario;
  sets: string[];
}

/** The run's result without `meta` (no scenario hash is computed in the browser), or the message of what refused it. */
export type WhatIfReply = { id: number; ok: true; result: Omit<RunResult, 'meta'> } | { id: number; ok: false; error: string };

/**
 * Something in the worker that the page's Content-Security-Policy refused
 * (an eval, a fetch): the directive and what it blocked. A worker's
 * violations are not the document's events, so the worker says so and the
 * page logs it as an error – a bundle that tried eval would otherwise only
 * show in the browser's own log.
 */
export interface WhatIfViolation {
  violation: string;
}

export type WhatIfMessage = WhatIfReply | WhatIfViolation;
