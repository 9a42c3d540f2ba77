/**
 * One what-if run: the scenario a report was made from, with `--set`
 * overrides, simulated the way `coordgap run FILE --set … --seed S
 * --requests N` simulates it with its default one replication – the same
 * functions in the same order, so the same seed and overrides give the same
 * figures, bit for bit (reports/what-if.browser.test.ts checks it against
 * the CLI):
 *
 *   load-scenario.ts loadScenarioText  applyOverrides → validateSource → compileScenario (arm.ts compileWithTrace)
 *   experiments.ts planExperiment      checkBudget → limitsOf(model).maxEvents, inFlightCap
 *   sim-task.ts runSimTask             runReplication(model, 0, …).toJSON()
 *   experiments.ts runScenario         mergeReplications(model, [RunCollector.fromJSON(…)], meta)
 *
 * Pure (no file, no process): it runs in the browser, bundled into the
 * report's Web Worker (worker.ts, scripts/build-browser.ts). The data comes
 * as JSON, not YAML text: the report has already read the file, and its
 * positions would only place errors in a file the page does not have; a
 * `--set` value is still read as YAML (applyOverrides), as the CLI reads it.
 */
import { applyOverrides, compileScenario, CompileError, pathToString, scenarioSchema, ScenarioError, validateSource, type ParsedSource } from '../../sim/scenario/index.js';
import { runReplication } from '../../sim/path/index.js';
import { BudgetError, checkBudget, inFlightCap, limitsOf } from '../../sim/analysis/index.js';
import { mergeReplications } from '../../sim/experiment/index.js';
import { RunCollector, type RunResult } from '../../sim/metrics/index.js';
import type { WhatIfScenario } from './protocol.js';

/** A run the scenario's own rules refuse: an invalid override, a model that does not compile, a run over its budget. Its message is for the reader. */
export class WhatIfRefused extends Error {
  override name = 'WhatIfRefused';
}

/**
 * Simulates `scenario` with `sets` applied in order (the CLI's order: every
 * --set, then seed=, then requests=).
 * @throws WhatIfRefused with the CLI's own message when the overrides make the scenario invalid or the run too big.
 */
export function runWhatIf(scenario: WhatIfScenario, sets: readonly string[]): RunResult {
  // Positions point at line 1 of the file: the page has the data, not the text. A --set value's error names --set, as on the command line.
  const parsed: ParsedSource = { file: scenario.file, data: scenario.data, locate: () => ({ line: 1, col: 1 }) };
  try {
    const validated = validateSource(applyOverrides(parsed, sets), scenarioSchema);
    let model;
    try {
      model = compileScenario(validated, {
        ...(scenario.traceTimestampsMs !== undefined ? { traceTimestampsMs: scenario.traceTimestampsMs } : {}),
        ...(scenario.hardware !== undefined ? { hardware: scenario.hardware } : {}),
      });
    } catch (e) {
      if (e instanceof CompileError) throw new WhatIfRefused(`${scenario.file}: ${pathToString(e.path)}: ${e.message}`);
      throw e;
    }
    // The scenario's own limits, as planExperiment has them without --max-events / --max-memory-mb.
    checkBudget(model, 'the scenario');
    const collector = runReplication(model, 0, { maxEvents: limitsOf(model).maxEvents, maxInFlight: inFlightCap(model) });
    // A worker thread hands its collector back as JSON (sim-task.ts); the CLI merges what it read back, and so does this.
    return mergeReplications(model, [RunCollector.fromJSON(collector.toJSON())], { version: scenario.version, scenarioHash: '', node: '' });
  } catch (e) {
    if (e instanceof ScenarioError || e instanceof BudgetError) throw new WhatIfRefused(e.message);
    throw e;
  }
}
