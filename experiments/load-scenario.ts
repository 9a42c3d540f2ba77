/**
 * Reads a scenario file and everything it names, applies --set overrides,
 * validates and compiles it. File errors become positioned ScenarioErrors or
 * UsageErrors (exit 2), never stack traces.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { applyOverrides, parseSource, validateSource, pathToString, ScenarioError } from '../sim/scenario/index.js';
import { scenarioSchema, type Scenario } from '../sim/scenario/index.js';
import { variantInput, PatchError } from '../sim/scenario/index.js';
import { scenarioWarnings } from '../sim/scenario/index.js';
import type { ScenarioWarning } from '../sim/scenario/index.js';
import { loadHardware, resolveHardware, type LoadedHardware } from './hardware.js';
import { armFromInput, compileWithTrace, scenarioHash, traceFileOf, type ArmContext } from './arm.js';
import type { ResolvedHardware } from '../sim/scenario/index.js';
import type { HardwareProfile } from '../bench/profile.js';
import type { Model } from '../sim/path/index.js';
import { UsageError } from './usage-error.js';
import { readRegularFile } from './safe-files.js';
import { excerpt } from './untrusted-text.js';
import { MAX_DURATION_MS, MAX_DURATION_TEXT } from '../sim/kernel/index.js';
import { parameterMean } from '../sim/experiment/index.js';

/** A mistake in how the tool was called (exit 2); defined on its own so the file readers and writers can throw it too. */
export { UsageError };

/** Scenario files larger than this are refused before reading (hostile input). */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

export interface LoadedVariant {
  name: string;
  kind: 'compute' | 'coordination' | 'mixed';
  description?: string;
  /** The scenario data as written, patch applied. */
  input: unknown;
  /** The variant's hardware, resolved (its own `hardware:`, or the baseline's). */
  hardware?: ResolvedHardware;
  scenario: Scenario;
  model: Model;
  hash: string;
}

export interface LoadedScenario {
  file: string;
  /** The scenario data as written, --set applied. */
  input: unknown;
  /** Arrival times read from `arrivals.file`, if the scenario names one. */
  traceTimestampsMs?: number[];
  /** The scenario's `hardware:` config and kernel timings, resolved. */
  hardware?: ResolvedHardware;
  /** The measured profile the scenario's hardware config names, if any (for the hardware charts). */
  profile?: HardwareProfile;
  scenario: Scenario;
  model: Model;
  /** sha256 of the validated scenario (after overrides), first 16 hex digits. */
  hash: string;
  /** Every variant: the baseline with its patch applied, validated and compiled. */
  variants: LoadedVariant[];
  /**
   * Likely mistakes in the baseline and its variants (sim/scenario/warnings.ts),
   * placed like errors; every command prints them on stderr and --json carries them.
   */
  warnings: ScenarioWarning[];
  /** What later arms of this scenario (sweep points, sensitivity interventions) are built from: armFromInput's context. */
  arms: ArmContext;
}

export { scenarioHash } from './arm.js';

/** Every file a scenario brings in is read by safe-files.ts's one reader: regular files only, up to `maxBytes`. */
function readText(path: string, what: string, maxBytes: number): Promise<string> {
  return readRegularFile(path, what, maxBytes, what === 'scenario' ? { hint: ' – put long lists of arrival times in a trace file (arrivals.file, one per line)' } : {});
}

/** A decimal number as a trace writes arrival times: digits, an optional fraction and exponent (1e3), nothing else. */
const DECIMAL_MS = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses a trace file: one arrival time in ms per line (a decimal number, at
 * most MAX_DURATION_MS); blank lines and # comments ignored.
 */
export function parseTrace(text: string, file: string): number[] {
  const out: number[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/#.*/, '').trim();
    if (line === '') continue;
    // Decimal only: Number() also reads 0x1F, 0b101 and 0o17, which no trace means as milliseconds.
    const v = DECIMAL_MS.test(line) ? Number(line) : NaN;
    if (!(v >= 0 && v <= MAX_DURATION_MS))
      throw new ScenarioError([
        { file, line: i + 1, col: 1, path: '', message: `expected an arrival time in ms: a decimal number such as 12 or 3.5, from 0 to ${MAX_DURATION_TEXT}; got ${excerpt(line)}` },
      ]);
    if (out.length > 0 && v < out[out.length - 1])
      throw new ScenarioError([{ file, line: i + 1, col: 1, path: '', message: `arrival times must not decrease (${v} after ${out[out.length - 1]})` }]);
    out.push(v);
  }
  if (out.length === 0) throw new ScenarioError([{ file, line: 1, col: 1, path: '', message: 'the trace holds no arrival times' }]);
  return out;
}

/**
 * Scenario files are data: the files they name (hardware configs, profiles,
 * traces) must lie in the scenario's own directory tree, unless the user
 * allows more (`--allow-outside`), so a file from elsewhere cannot make the
 * tool read arbitrary paths.
 */
export interface LoadOptions {
  allowOutside?: boolean;
}

/**
 * Resolves a path a scenario names, refusing one outside `root` unless
 * allowed. The check is on real paths (symbolic links resolved, in `root` as
 * well as in the name): a link inside the scenario's folder that points at
 * /etc/passwd is outside. Returns the real path, which is what gets read, so
 * the file checked is the file read; a relative name in it (a config's
 * profile) resolves from where the file really is, as Node resolves modules.
 * A name that does not exist yet is checked through its nearest existing
 * ancestor, and reading it then says "no such file".
 */
export function namedPath(root: string, from: string, name: string, what: string, options: LoadOptions): string {
  const path = resolve(from, name);
  if (options.allowOutside) return path;
  const realRoot = realPath(root);
  const real = realPath(path);
  const rel = relative(realRoot, real);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel))
    throw new UsageError(
      `${what} "${name}" ${real === path ? 'is' : `resolves to ${real}, which is`} outside the scenario's directory (${realRoot}); scenario files may only name files beside them – pass --allow-outside to allow it`,
    );
  return real;
}

/** `path` with every symbolic link resolved; for a path that does not exist, its nearest existing ancestor's real path joined with the rest. */
function realPath(path: string): string {
  const rest: string[] = [];
  let at = path;
  for (;;) {
    try {
      return join(realpathSync.native(at), ...rest.reverse());
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const parent = dirname(at);
      // ENOENT: not there (or a dangling link); ENOTDIR: a file used as a folder. Either way, reading fails later with its reason.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === at) return join(at, ...rest.reverse());
      rest.push(basename(at));
      at = parent;
    }
  }
}

export async function loadScenarioFile(file: string, cwd: string, sets: readonly string[] = [], options: LoadOptions = {}): Promise<LoadedScenario> {
  const path = resolve(cwd, file);
  const text = await readText(path, 'scenario', MAX_SCENARIO_BYTES);
  return loadScenarioText(text, file, dirname(path), sets, options);
}

/**
 * Validates and compiles scenario text (YAML or JSON). `file` names it in
 * messages; `baseDir` is where a trace file it names is looked up.
 */
export async function loadScenarioText(
  text: string,
  file: string,
  baseDir: string,
  sets: readonly string[] = [],
  options: LoadOptions = {},
): Promise<LoadedScenario> {
  // A bad --set value is reported against `--set`, not at the file text it replaced.
  const source = applyOverrides(parseSource(text, file), sets);
  const scenario = validateSource(source, scenarioSchema);
  checkUncertainPaths(source, scenario, file);
  let traceTimestampsMs: number[] | undefined;
  if (scenario.arrivals.kind === 'trace' && scenario.arrivals.file !== undefined) {
    const tracePath = namedPath(baseDir, baseDir, scenario.arrivals.file, 'trace file', options);
    traceTimestampsMs = parseTrace(await readText(tracePath, 'trace', MAX_SCENARIO_BYTES * 10), scenario.arrivals.file);
  }
  // Shown next to the scenario's own name, so messages read scenarios/hardware/x.yaml:2:5 …
  // Read once per name: every variant or sweep point naming a config shares it.
  const configs = new Map<string, Promise<LoadedHardware>>();
  const loadHw = (name: string): Promise<LoadedHardware> => {
    let loaded = configs.get(name);
    if (loaded === undefined) {
      loaded = loadHardware(namedPath(baseDir, baseDir, name, 'hardware config', options), join(dirname(file), name), (from, profile) =>
        namedPath(baseDir, from, profile, 'hardware profile', options),
      );
      configs.set(name, loaded);
    }
    return loaded;
  };
  const baselineHw = scenario.hardware === undefined ? undefined : await loadHw(scenario.hardware);
  const hardware = baselineHw ? resolveHardware(baselineHw) : undefined;
  const model = compileWithTrace(scenario, traceTimestampsMs, hardware, (path, message) => {
    const pos = source.locate(path);
    throw new ScenarioError([{ file, line: pos.line, col: pos.col, path: pathToString(path), message }]);
  });
  const arms: ArmContext = {
    file,
    source,
    ...(traceFileOf(scenario) !== undefined ? { traceFile: traceFileOf(scenario) } : {}),
    ...(traceTimestampsMs !== undefined ? { traceTimestampsMs } : {}),
    ...(scenario.hardware !== undefined ? { hardwareName: scenario.hardware } : {}),
    ...(baselineHw ? { baselineHardware: baselineHw } : {}),
    loadHardware: loadHw,
  };
  const variants: LoadedVariant[] = [];
  for (const [i, v] of (scenario.variants ?? []).entries()) {
    const at = ['variants', i, 'patch'];
    const label = `variants[${i}] (${v.name})`;
    let merged: unknown;
    try {
      merged = variantInput(source.data as Record<string, unknown>, v.patch);
    } catch (e) {
      if (!(e instanceof PatchError)) throw e;
      const pos = source.locate([...at, ...e.path]);
      throw new ScenarioError([{ file, line: pos.line, col: pos.col, path: label, message: e.message }]);
    }
    const arm = await armFromInput(arms, merged, label, at);
    variants.push({
      ...(arm.hardware ? { hardware: arm.hardware } : {}),
      name: v.name,
      kind: v.kind,
      ...(v.description !== undefined ? { description: v.description } : {}),
      input: arm.input,
      scenario: arm.scenario,
      model: arm.model,
      hash: arm.hash,
    });
  }
  const seenNames = new Set<string>();
  scenario.variants?.forEach((v, i) => {
    if (seenNames.has(v.name)) {
      const pos = source.locate(['variants', i, 'name']);
      throw new ScenarioError([{ file, line: pos.line, col: pos.col, path: `variants[${i}].name`, message: `duplicate variant name "${v.name}"` }]);
    }
    seenNames.add(v.name);
  });
  return {
    file,
    input: source.data,
    ...(hardware ? { hardware } : {}),
    ...(traceTimestampsMs !== undefined ? { traceTimestampsMs } : {}),
    ...(baselineHw?.profile ? { profile: baselineHw.profile } : {}),
    scenario,
    model,
    hash: scenarioHash(scenario),
    variants,
    arms,
    warnings: scenarioWarnings(
      source,
      { input: source.data, model, scenario, ...(hardware ? { hardware } : {}) },
      variants.map((v, i) => ({ name: v.name, patch: scenario.variants![i].patch, input: v.input, model: v.model, scenario: v.scenario, ...(v.hardware ? { hardware: v.hardware } : {}) })),
    ),
  };
}

/**
 * Every path an `uncertainty:` block draws must take a drawn value the way
 * `--set` would: the path resolves and the scenario stays valid with the
 * distribution's mean there. Checked once at load, so a bad path is reported
 * at its line before any draw runs, not at `--set` in the middle of one.
 */
function checkUncertainPaths(source: ReturnType<typeof parseSource>, scenario: Scenario, file: string): void {
  for (const [path, dist] of Object.entries(scenario.uncertainty ?? {})) {
    const mean = parameterMean(dist);
    try {
      validateSource(applyOverrides(source, [`${path}=${Number(mean.toPrecision(12))}`]), scenarioSchema);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      const pos = source.locate(['uncertainty', path]);
      const why = e.issues[0];
      throw new ScenarioError([
        {
          file,
          line: pos.line,
          col: pos.col,
          path: `uncertainty.${path}`,
          message: `a draw of ${Number(mean.toPrecision(6))} (the distribution's mean) at ${path} is not valid there: ${why.path === '' || why.path === path ? '' : `${why.path}: `}${why.message} – name a numeric scenario field as --set would (stages.<id>.faults.error), with a distribution of values it takes (beta for a probability)`,
        },
      ]);
    }
  }
}
