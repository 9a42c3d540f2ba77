/**
 * One arm of an experiment from scenario data: the single place where a
 * patched input – a variant, a sweep point, a sensitivity intervention – is
 * validated, held to the rules every arm obeys, given its hardware, compiled
 * against the baseline's trace and hashed. Four copies of these steps once
 * drifted apart (a sweep compiled without the trace and crashed); one function
 * keeps every arm compiled the way the baseline is.
 *
 * Errors are ScenarioErrors placed where the arm was written (the variant's
 * patch, the `sweep:` block, or `--set`) and named by the arm's label, so a
 * bad value reads `file:line:col variants[1] (fast): stages[0].latency: …`.
 */
import { createHash } from 'node:crypto';
import { ScenarioError, pathToString, validateSource, type ParsedSource, type ScenarioIssue, type SourcePosition } from '../sim/scenario/index.js';
import { scenarioSchema, type Scenario } from '../sim/scenario/index.js';
import { compileScenario, CompileError } from '../sim/scenario/index.js';
import type { ResolvedHardware } from '../sim/scenario/index.js';
import type { Model } from '../sim/path/index.js';
import { resolveHardware, type LoadedHardware } from './hardware.js';

/** An arm as the experiment runs it: what to simulate and how to name it. */
export interface ArmSpec {
  label: string;
  /** Compiled with the arm's hardware and the baseline's trace: all a task needs (model-wire.ts takes it to a worker). */
  model: Model;
  scenarioHash: string;
  seed?: number | string;
}

/** What every arm of one scenario shares: where it came from and what was read for it. */
export interface ArmContext {
  /** How messages name the scenario file. */
  file: string;
  /** The scenario as parsed (after --set), to place errors in the file. */
  source: Pick<ParsedSource, 'locate'>;
  /** The baseline's `arrivals.file`: the only trace read, so the one every arm must name. */
  traceFile?: string;
  /** Arrival times read from `traceFile`; every arm is compiled with them. */
  traceTimestampsMs?: number[];
  /** The baseline's `hardware:` name and the config as read (an arm naming the same config shares it). */
  hardwareName?: string;
  baselineHardware?: LoadedHardware;
  /** Reads a hardware config an arm names (relative to the scenario, checked like the baseline's); absent where no files may be read. */
  loadHardware?(name: string): Promise<LoadedHardware>;
}

/** Where an arm was written: a path in the scenario file, or the command line. */
export type ArmOrigin = readonly (string | number)[] | '--set';

/** An arm ready to run: the data as written, and what this thread validated and compiled from it. */
export interface Arm {
  /** The scenario data as written, patch applied. */
  input: unknown;
  scenario: Scenario;
  model: Model;
  /** sha256 of the validated scenario, first 16 hex digits (scenarioHash). */
  hash: string;
  /** The arm's hardware, resolved (its own `hardware:`, or the baseline's). */
  hardware?: ResolvedHardware;
  /** The baseline's trace, which the arm was compiled with. */
  traceTimestampsMs?: number[];
}

/** Canonical JSON (sorted keys) so the hash does not depend on key order in the file. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** sha256 of a validated scenario, first 16 hex digits: names the exact inputs behind a result. */
export function scenarioHash(scenario: Scenario): string {
  return createHash('sha256').update(canonical(scenario)).digest('hex').slice(0, 16);
}

/** The trace file a scenario's arrivals read, if any. */
export const traceFileOf = (s: Scenario): string | undefined => (s.arrivals.kind === 'trace' ? s.arrivals.file : undefined);

/**
 * Compiles a validated scenario with the baseline's trace and the given
 * hardware; a CompileError becomes a positioned issue via `place`.
 */
export function compileWithTrace(
  scenario: Scenario,
  traceTimestampsMs: readonly number[] | undefined,
  hardware: ResolvedHardware | undefined,
  place: (path: (string | number)[], message: string) => never,
): Model {
  try {
    return compileScenario(scenario, { ...(traceTimestampsMs !== undefined ? { traceTimestampsMs } : {}), ...(hardware ? { hardware } : {}) });
  } catch (e) {
    if (e instanceof CompileError) place(e.path, e.message);
    throw e;
  }
}

/**
 * Validates, checks and compiles one arm. `input` is the baseline's data with
 * the arm's change applied; `label` names the arm in messages
 * (`variants[0] (recovery-layer)`, `point 3 (arrivals.rate=2)`); `origin` is
 * where its change was written. Throws a ScenarioError listing every problem.
 */
export async function armFromInput(ctx: ArmContext, input: unknown, label: string, origin: ArmOrigin = []): Promise<Arm> {
  const pos: SourcePosition = origin === '--set' ? { line: 1, col: 1 } : ctx.source.locate(origin);
  const file = origin === '--set' ? '--set' : ctx.file;
  const issue = (field: string, message: string): ScenarioIssue => ({ file, ...pos, path: label, message: field === '' ? message : `${field}: ${message}` });
  const fail = (path: readonly (string | number)[], message: string): never => {
    throw new ScenarioError([issue(pathToString(path), message)]);
  };

  let scenario: Scenario;
  try {
    // The same validation (and the same wording) as a file, every issue placed at the arm's origin.
    scenario = validateSource({ file, data: input, locate: () => pos }, scenarioSchema);
  } catch (e) {
    if (e instanceof ScenarioError) throw new ScenarioError(e.issues.map((i) => issue(i.path, i.message)));
    throw e;
  }

  // Every arm runs on the baseline's arrivals trace: it is the only one read.
  if (traceFileOf(scenario) !== ctx.traceFile)
    fail(['arrivals'], "an arm cannot switch to another trace file or away from it (every arm runs on the baseline's trace); make it a scenario of its own");

  let hardware: ResolvedHardware | undefined;
  if (scenario.hardware !== undefined) {
    let named = scenario.hardware === ctx.hardwareName ? ctx.baselineHardware : undefined;
    if (named === undefined) {
      if (ctx.loadHardware === undefined) fail(['hardware'], 'no hardware config can be read for this arm');
      named = await ctx.loadHardware!(scenario.hardware);
    }
    hardware = resolveHardware(named, ctx.baselineHardware);
  }

  const model = compileWithTrace(scenario, ctx.traceTimestampsMs, hardware, fail);
  return {
    input,
    scenario,
    model,
    hash: scenarioHash(scenario),
    ...(hardware ? { hardware } : {}),
    ...(ctx.traceTimestampsMs !== undefined ? { traceTimestampsMs: ctx.traceTimestampsMs } : {}),
  };
}

/** The arm as an experiment runs it, named `label`. */
export function armSpec(label: string, arm: Arm): ArmSpec {
  return { label, model: arm.model, scenarioHash: arm.hash };
}
