/**
 * The resume state is checked before it is trusted (issue 12.16): a forged
 * entry, a corrupt file, a wrong shape or an inconsistent result is refused
 * before anything runs, and the file stays on disk as it was. The states are
 * real ones, written by an interrupted run into a temp dir, then damaged.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarioFile, type LoadedScenario } from '../experiments/load-scenario.js';
import { runScenario, type ExperimentOptions } from '../experiments/experiments.js';
import { CommandStates, STATE_FILE } from '../experiments/checkpoint.js';
import { canonicalJson, entryChecksum } from '../experiments/checkpoint-state.js';
import { runCli } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';

const SIX_STEP = join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml');
const ARGS = ['--requests', '2000', '--replications', '4', '--threads', '1'];
const base: ExperimentOptions = { replications: 4, threads: 1, version: 'test' };

let loaded: LoadedScenario;
/** A real state: 2 of the 4 replications finished. */
let pristine: string;

beforeAll(async () => {
  loaded = await loadScenarioFile(SIX_STEP, PACKAGE_ROOT, ['requests=2000']);
  const dir = mkdtempSync(join(tmpdir(), 'coordgap-state-'));
  const stop = new AbortController();
  const first = await runScenario(loaded, { ...base, stateFile: join(dir, STATE_FILE), signal: stop.signal, onProgress: (done) => done === 2 && stop.abort() });
  expect(first.status.interrupted).toBe(true);
  pristine = readFileSync(join(dir, STATE_FILE), 'utf8');
});

/** A temp --out holding `text` as its state. */
function outWith(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'coordgap-state-'));
  writeFileSync(join(dir, STATE_FILE), text);
  return dir;
}

async function resumeError(dir: string): Promise<string> {
  const e = await runScenario(loaded, { ...base, stateFile: join(dir, STATE_FILE), resume: true }).then(
    () => null,
    (x: unknown) => x,
  );
  if (!(e instanceof Error)) throw new Error('expected --resume to refuse the state');
  // The state is kept exactly as it was.
  return e.message;
}

type State = { v: number; tasksHash: string; done: Record<string, { sha256: string; result: { arrays: Record<string, number[]>; scalars: Record<string, number> } }> };

describe('the resume state is checked before it is trusted', () => {
  it('a real state resumes', async () => {
    const dir = outWith(pristine);
    const r = await runScenario(loaded, { ...base, stateFile: join(dir, STATE_FILE), resume: true });
    expect(r.status).toEqual({ failures: [], interrupted: false });
    expect(r.result!.replications).toBe(4);
  });

  it('a forged entry (every request a success) fails its checksum and is refused; the file stays as it was', async () => {
    const state = JSON.parse(pristine) as State;
    const [key] = Object.keys(state.done);
    const outcomes = state.done[key].result.arrays.outcomes;
    const total = outcomes.reduce((a, b) => a + b, 0);
    state.done[key].result.arrays.outcomes = outcomes.map((_, i) => (i === 0 ? total : 0));
    const text = JSON.stringify(state);
    const dir = outWith(text);
    const m = await resumeError(dir);
    expect(m).toBe(
      `cannot resume from ${join(dir, STATE_FILE)}: the saved result of baseline, replication ${key} does not match its checksum – the file was changed after coordgap wrote it. The file is left as it is; run without --resume to start over (the state is then replaced), or choose another --out`,
    );
    expect(readFileSync(join(dir, STATE_FILE), 'utf8')).toBe(text);
  });

  it('a truncated (corrupt) file is refused with where it breaks, before anything runs', async () => {
    const text = pristine.slice(0, Math.floor(pristine.length / 2));
    const dir = outWith(text);
    expect(await resumeError(dir)).toMatch(/^cannot resume from .*: it is not valid JSON: .* \(line 1, column \d+, at the end\)\. The file is left as it is/);
    expect(readFileSync(join(dir, STATE_FILE), 'utf8')).toBe(text);
  });

  it('a wrong shape names the field', async () => {
    const state = JSON.parse(pristine) as State;
    const [key] = Object.keys(state.done);
    delete (state.done[key].result.scalars as Record<string, unknown>).events;
    expect(await resumeError(outWith(JSON.stringify(state)))).toMatch(new RegExp(`: it is not a valid resume state: field done\\.${key}\\.result\\.scalars\\.events: `));
    const nan = JSON.parse(pristine) as State;
    (nan.done[key].result.scalars as Record<string, unknown>).spanMs = 'NaN';
    expect(await resumeError(outWith(JSON.stringify(nan)))).toMatch(/field done\.\d+\.result\.scalars\.spanMs: /);
  });

  it('an entry whose checksum was recomputed but whose arrays do not fit together is refused', async () => {
    const state = JSON.parse(pristine) as State;
    const [key] = Object.keys(state.done);
    const entry = state.done[key];
    entry.result.arrays.defAttempts = entry.result.arrays.defAttempts.slice(1); // one definition fewer than the other arrays
    entry.sha256 = entryChecksum(state.tasksHash, Number(key), entry.result as never);
    expect(await resumeError(outWith(JSON.stringify(state)))).toMatch(/the saved result of baseline, replication \d+ is inconsistent/);
  });

  it('an entry moved to another task fails its checksum (the task index is part of it)', async () => {
    const state = JSON.parse(pristine) as State;
    const keys = Object.keys(state.done);
    const missing = ['0', '1', '2', '3'].find((k) => !keys.includes(k))!;
    state.done[missing] = state.done[keys[0]];
    delete state.done[keys[0]];
    expect(await resumeError(outWith(JSON.stringify(state)))).toMatch(new RegExp(`the saved result of baseline, replication ${missing} does not match its checksum`));
  });

  it('canonical JSON sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
  });

  it('the CLI: exit 2 with the message, nothing simulated or written, the state kept', async () => {
    const state = JSON.parse(pristine) as State;
    const [key] = Object.keys(state.done);
    state.done[key].result.scalars.requestsFinished += 1;
    const text = JSON.stringify(state);
    const dir = outWith(text);
    const r = await runCli(['run', SIX_STEP, ...ARGS, '--out', dir, '--resume'], PACKAGE_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^coordgap: cannot resume from .*: the saved result of baseline, replication \d+ does not match its checksum/m);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(existsSync(join(dir, 'results.json'))).toBe(false);
    expect(readFileSync(join(dir, STATE_FILE), 'utf8')).toBe(text);
  });
});

describe('a state stays until the command has written its files (issue 12.6)', () => {
  it('a finished experiment keeps its complete state; the command removes its states together, and only when every experiment finished', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-state-'));
    const first = join(dir, STATE_FILE);
    const second = join(dir, 'second.json');
    const states = new CommandStates();
    const whole = await runScenario(loaded, { ...base, stateFile: first, onStateSaved: states.saved });
    expect(whole.status).toEqual({ failures: [], interrupted: false });
    expect(Object.keys((JSON.parse(readFileSync(first, 'utf8')) as State).done)).toEqual(['0', '1', '2', '3']);
    // A second experiment of the same command, interrupted before it ran anything: both are kept.
    const stop = new AbortController();
    stop.abort();
    expect((await runScenario(loaded, { ...base, stateFile: second, signal: stop.signal, onStateSaved: states.saved })).status.interrupted).toBe(true);
    await states.finish();
    expect([existsSync(first), existsSync(second)]).toEqual([true, true]);
    // Resumed to the end, it completes the command: both go.
    await runScenario(loaded, { ...base, stateFile: second, resume: true, onStateSaved: states.saved });
    await states.finish();
    expect([existsSync(first), existsSync(second)]).toEqual([false, false]);
  });
});
