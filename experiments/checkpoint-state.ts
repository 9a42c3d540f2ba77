/**
 * The resume state's format (DIR/.coordgap-state.json) and its check on the
 * way back in. A state is read only with --resume, and what it holds is
 * merged into results as if just simulated, so it is checked before anything
 * runs: its shape (zod), each entry's checksum, and that each result rebuilds
 * into a collector that writes out the same JSON. A state that fails is
 * refused with a message and left on disk untouched.
 *
 * The checksum is a SHA-256 of the entry's task key (the run's tasks hash and
 * the task's index) and the canonical JSON of its result (keys sorted). It
 * catches accidental damage – a truncated or half-synced file, a bit flip, a
 * bad merge, an entry moved to another task or copied from another run – and
 * naive edits (changing a count by hand). It does NOT authenticate: anyone
 * who reads this comment can recompute it, and a keyed HMAC would need a
 * secret kept somewhere the attacker cannot read, which a file beside the
 * state is not. Against deliberate forgery, protect the --out directory
 * (permissions), as for the results written there.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { RunCollector, type RunCollectorJson } from '../sim/metrics/index.js';
import { firstIssueText } from './untrusted-text.js';

export const STATE_VERSION = 3;

/** A JSON value with object keys sorted at every depth (RFC 8785's ordering; numbers as JSON.stringify writes them). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** The checksum of task `index`'s result in the run whose tasks hash to `tasksHash`. */
export function entryChecksum(tasksHash: string, index: number, result: RunCollectorJson): string {
  return createHash('sha256').update(`coordgap-state-entry\n${tasksHash}\n${index}\n${canonicalJson(result)}`).digest('hex');
}

const finite = z.number().finite();
const count = z.number().int().nonnegative();
const histogram = z.strictObject({
  v: z.literal(1),
  alpha: finite,
  count,
  sumMs: finite,
  minMs: finite,
  maxMs: finite,
  zeroCount: count,
  overflowCount: count,
  offsets: z.array(z.number().int()),
  counts: z.array(finite.nonnegative()),
});
const collectorJson = z.strictObject({
  v: z.literal(1),
  scalars: z.strictObject({
    requestsStarted: count,
    requestsFinished: count,
    spanMs: finite,
    lastWorkEndMs: finite,
    events: count,
    escalations: count,
    humanResolved: count,
    tokenCostUsd: finite,
    truncatedRequests: count,
    truncatedRuns: count,
    truncatedAtMs: finite,
    truncatedBy: count,
    inFlightLimit: count,
    goodputLatencyMs: finite.nonnegative(),
    goodputRequests: count,
  }),
  arrays: z.record(z.string(), z.array(finite)),
  successLatency: histogram,
  allLatency: histogram,
  llmTokensPerRequest: histogram,
  timeline: z.strictObject({ bucketMs: finite, buckets: count, counts: z.array(finite) }).nullable(),
}) satisfies z.ZodType<RunCollectorJson>;

const stateSchema = z.strictObject({
  v: z.literal(STATE_VERSION),
  tasksHash: z.string().regex(/^[0-9a-f]{64}$/),
  tasks: count,
  done: z.record(z.string().regex(/^(0|[1-9][0-9]*)$/, 'a task index'), z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/), result: collectorJson })),
});

export type StateFile = z.infer<typeof stateSchema>;

/**
 * Why a result whose shape passed is not one a collector wrote (its arrays do
 * not fit together, a histogram does not rebuild): the text to follow
 * "inconsistent", or null when it rebuilds into a collector that writes out
 * the same JSON.
 */
function consistencyProblem(result: RunCollectorJson): string | null {
  let rebuilt: string;
  try {
    rebuilt = canonicalJson(RunCollector.fromJSON(result).toJSON());
  } catch (e) {
    return `: ${(e as Error).message}`;
  }
  return rebuilt === canonicalJson(result) ? null : ' (its arrays do not fit together)';
}

/**
 * Checks one task's result that came from outside this process (a job
 * queue's worker): the shape a collector writes, and that it rebuilds into
 * the same JSON – the check a resume state's entries get.
 * @throws Error saying what is wrong
 */
export function checkCollectorJson(json: unknown): RunCollectorJson {
  const parsed = collectorJson.safeParse(json);
  if (!parsed.success) throw new Error(`not a run's result: ${firstIssueText(parsed.error)}`);
  const result = parsed.data as RunCollectorJson;
  const inconsistent = consistencyProblem(result);
  if (inconsistent !== null) throw new Error(`an inconsistent run's result${inconsistent}`);
  return result;
}

/** The state to write for finished results `done` of the run whose tasks hash to `tasksHash`. */
export function encodeState(tasksHash: string, tasks: number, done: ReadonlyMap<number, RunCollectorJson>): StateFile {
  const entries: StateFile['done'] = {};
  for (const [i, result] of [...done].sort((a, b) => a[0] - b[0])) entries[i] = { sha256: entryChecksum(tasksHash, i, result), result };
  return { v: STATE_VERSION, tasksHash, tasks, done: entries };
}

/**
 * Checks a parsed state against the run about to resume.
 * @returns the finished results by task index
 * @throws Error saying what is wrong (the caller names the file and keeps it)
 */
export function decodeState(json: unknown, expectedTasksHash: string, taskLabel: (index: number) => string, taskCount: number): Map<number, RunCollectorJson> {
  if (json !== null && typeof json === 'object' && 'v' in json && json.v !== STATE_VERSION)
    throw new Error(`it was written by another version of coordgap (state format ${String(json.v)}, this one reads ${STATE_VERSION})`);
  if (json !== null && typeof json === 'object' && 'tasksHash' in json && json.tasksHash !== expectedTasksHash)
    throw new Error('it belongs to a different run (other scenario, seed, replications or options)');
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) throw new Error(`it is not a valid resume state: ${firstIssueText(parsed.error)}`);
  const state = parsed.data;
  if (state.tasks !== taskCount) throw new Error(`it is for ${state.tasks} tasks; this run has ${taskCount}`);
  const out = new Map<number, RunCollectorJson>();
  for (const [key, entry] of Object.entries(state.done)) {
    const i = Number(key);
    if (i >= taskCount) throw new Error(`it holds a result for task ${i}; this run has tasks 0 to ${taskCount - 1}`);
    const result = entry.result as RunCollectorJson;
    if (entry.sha256 !== entryChecksum(state.tasksHash, i, result))
      throw new Error(`the saved result of ${taskLabel(i)} does not match its checksum – the file was changed after coordgap wrote it`);
    const inconsistent = consistencyProblem(result);
    if (inconsistent !== null) throw new Error(`the saved result of ${taskLabel(i)} is inconsistent${inconsistent}`);
    out.set(i, result);
  }
  return out;
}
