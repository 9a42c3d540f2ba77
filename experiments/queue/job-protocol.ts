/**
 * What one job on the queue carries, both ways, and the checks at each end.
 *
 * A job is one SimTask (sim-task.ts) – a compiled model in wire form
 * (model-wire.ts) with its replication, seed and limits – with the protocol
 * version and the coordgap version that made it. The model is data: the
 * scenario, its hardware and any trace were compiled in on the coordinator, so
 * a worker runs it without reading any file (there is no file name in it to
 * read). The reply is the run's collector JSON with the same two versions.
 *
 * Both ends distrust what comes off Redis: the worker checks the job's shape
 * (zod), that the model's digest matches its data (a model cached under a
 * digest is reused by later tasks, so a wrong one must never be accepted) and
 * that it runs the same coordgap version (a model compiled by another version
 * may mean something else); the coordinator checks the reply's versions and
 * rebuilds the result (checkCollectorJson) before it is merged.
 */
import { z } from 'zod';
import type { SimTask } from '../sim-task.js';
import { wireDigest } from '../model-wire.js';
import { checkCollectorJson } from '../checkpoint-state.js';
import type { RunCollectorJson } from '../../sim/metrics/index.js';
import { fromJsonSafe, toJsonSafe } from './json-codec.js';
import { firstIssueText } from '../untrusted-text.js';

/** The job format; a worker refuses another. 2: a large model by key (model-store.ts). */
export const QUEUE_PROTOCOL = 2;

/** A job's data as stored in Redis. */
export interface JobData {
  v: number;
  coordgapVersion: string;
  /** The SimTask in json-codec form. */
  task: unknown;
}

/** A job's return value as stored in Redis. */
export interface JobReply {
  v: number;
  coordgapVersion: string;
  result: RunCollectorJson;
}

/**
 * The job data for `task`; with `modelKey`, the model travels as its digest
 * and the key it is stored under (model-store.ts) instead of its data.
 */
export function encodeJob(task: SimTask, coordgapVersion: string, modelKey: string | null = null): JobData {
  const carried = modelKey === null ? task : { ...task, model: { digest: task.model.digest, key: modelKey } };
  return { v: QUEUE_PROTOCOL, coordgapVersion, task: toJsonSafe(carried) };
}

/** A model's data as it is stored apart (model-store.ts): JSON-safe, as text. */
export function storedModelText(data: unknown): string {
  return JSON.stringify(toJsonSafe(data));
}

const envelope = z.object({ v: z.number(), coordgapVersion: z.string(), task: z.unknown() });

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha-256 in hex');

/** SimTask's shape (sim-task.ts); the model's data is checked by its digest, its meaning by the engine as it runs. */
const simTask = z.strictObject({
  label: z.string().max(1000),
  model: z.union([
    z.strictObject({ digest: sha256, data: z.record(z.string(), z.unknown()) }),
    z.strictObject({ digest: sha256, key: z.string().max(1000) }),
  ]),
  replication: z.number().int().nonnegative(),
  seed: z.union([z.number().finite(), z.string().max(1000)]).optional(),
  maxEvents: z.number().positive(),
  maxInFlight: z.number().int().positive(),
});

/**
 * The task in a job's data, checked.
 * @param fetchModel reads a model stored apart, by its key (model-store.ts ModelFetcher)
 * @throws Error saying what is wrong: another protocol or coordgap version (both named), a bad shape, a stored model gone or not this queue's, a digest that does not match
 */
export async function decodeJob(data: unknown, coordgapVersion: string, fetchModel: (key: string) => Promise<unknown>): Promise<SimTask> {
  const outer = envelope.safeParse(data);
  if (!outer.success) throw new Error(`not a coordgap job: ${firstIssueText(outer.error)}`);
  if (outer.data.v !== QUEUE_PROTOCOL) throw new Error(`job format ${outer.data.v}; this worker reads format ${QUEUE_PROTOCOL}`);
  if (outer.data.coordgapVersion !== coordgapVersion)
    throw new Error(`the job was enqueued by coordgap ${outer.data.coordgapVersion}; this worker runs coordgap ${coordgapVersion} – run workers of the coordinator's version`);
  const parsed = simTask.safeParse(fromJsonSafe(outer.data.task));
  if (!parsed.success) throw new Error(`not a valid task: ${firstIssueText(parsed.error)}`);
  const carried = parsed.data;
  // A large model is stored once per run: fetched by its key, then checked against its digest like an inline one.
  const model = 'key' in carried.model ? { digest: carried.model.digest, data: fromJsonSafe(await fetchModel(carried.model.key)) } : carried.model;
  const task = { ...carried, model } as SimTask;
  const digest = wireDigest(task.model.data);
  if (digest !== task.model.digest) throw new Error(`the model's data does not match its digest (${task.model.digest.slice(0, 12)}… given, ${digest.slice(0, 12)}… computed): damaged or altered on the way`);
  return task;
}

/** A job's return value for `result`. */
export function encodeReply(result: RunCollectorJson, coordgapVersion: string): JobReply {
  return { v: QUEUE_PROTOCOL, coordgapVersion, result };
}

/**
 * The result in a job's return value, checked.
 * @throws Error saying what is wrong (another version, or not a valid run's result)
 */
export function decodeReply(value: unknown, coordgapVersion: string): RunCollectorJson {
  const outer = z.object({ v: z.number(), coordgapVersion: z.string(), result: z.unknown() }).safeParse(value);
  if (!outer.success) throw new Error(`its result is not a coordgap reply: ${firstIssueText(outer.error)}`);
  if (outer.data.v !== QUEUE_PROTOCOL) throw new Error(`its result is in job format ${outer.data.v}; this coordinator reads format ${QUEUE_PROTOCOL}`);
  if (outer.data.coordgapVersion !== coordgapVersion)
    throw new Error(`its result came from coordgap ${outer.data.coordgapVersion}; this coordinator runs coordgap ${coordgapVersion}`);
  return checkCollectorJson(outer.data.result);
}
