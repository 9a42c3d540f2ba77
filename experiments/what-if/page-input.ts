/**
 * What a report's what-if section needs from the loaded scenario: the data
 * the page's worker simulates (protocol.ts WhatIfScenario), the controls
 * (controls.ts), and what the page's command line repeats – the file as the
 * user named it, the report's own `--set`s and the seed. The shape is
 * reports/what-if.ts WhatIfPage; scripts/ hands one to the other, and tsc
 * checks the fit there (experiments/ and reports/ may not import each other).
 */
import type { LoadedScenario } from '../load-scenario.js';
import { whatIfControls } from './controls.js';
import type { WhatIfScenario } from './protocol.js';

/** Sample sizes the page offers: the first is what it runs when it opens. */
export const WHAT_IF_REQUESTS = [10_000, 100_000] as const;

/** A number JSON cannot carry (.nan, .inf): JSON.stringify would write null, and the page would simulate another scenario. */
function hasNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (Array.isArray(value)) return value.some(hasNonFinite);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(hasNonFinite);
  return false;
}

/**
 * The what-if page's input for `loaded`, or null when its data cannot travel
 * as JSON unchanged (a .inf or .nan somewhere): the page would then not show
 * the CLI's figures, so it is left out.
 * @param reportSets the report's own `--set` arguments (not --seed or --requests: the page sets those itself), repeated in the page's command line
 */
export function whatIfPageInput(loaded: LoadedScenario, reportSets: readonly string[], version: string) {
  const data: unknown = loaded.input;
  if (hasNonFinite(data) || (loaded.traceTimestampsMs !== undefined && hasNonFinite(loaded.traceTimestampsMs))) return null;
  const scenario: WhatIfScenario = {
    file: loaded.file,
    data,
    ...(loaded.hardware !== undefined ? { hardware: loaded.hardware } : {}),
    ...(loaded.traceTimestampsMs !== undefined ? { traceTimestampsMs: loaded.traceTimestampsMs } : {}),
    version,
  };
  return {
    scenario,
    reportSets: [...reportSets],
    seed: loaded.scenario.seed,
    requestChoices: [...WHAT_IF_REQUESTS],
    controls: whatIfControls(loaded.scenario, data),
  };
}
