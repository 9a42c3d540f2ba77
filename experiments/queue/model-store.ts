/**
 * Large models travel once per run, not once per task. A job carries its
 * task's compiled model (job-protocol.ts); every replication of an arm has the
 * same one, so a compare of 1,000 replications would store an arm's model
 * 1,000 times – a few kilobytes for the bundled scenarios, but megabytes for
 * one that replays an arrivals trace of 100,000 timestamps, gigabytes in all.
 * A model whose JSON is longer than INLINE_MODEL_MAX_CHARS is therefore
 * stored once, under a key of the run's own (modelKey), and its jobs carry
 * the key with the model's digest; a worker fetches it once per run and
 * checks it against the digest like an inline one.
 *
 * The keys live under the queue's own prefix (`bull:<queue>:…`), so the ACL
 * user the README gives (`~bull:*`) reaches them; a worker reads only keys of
 * this shape (isModelKey), so a job cannot make it read any other. They
 * expire MODEL_TTL_S after the coordinator last stored them (it stores them
 * again at half that while the run lasts) – a coordinator that dies leaves
 * nothing for long – and the coordinator deletes them as its run ends.
 */
import type { RedisClient } from 'bullmq';

/** Longest model JSON carried in each job; a longer one is stored once per run. */
export const INLINE_MODEL_MAX_CHARS = 64 * 1024;

/** How long a stored model outlives its coordinator's last renewal (seconds). */
export const MODEL_TTL_S = 60 * 60;

/** Most stored models a worker keeps decoded (each a distinct arm of a recent run). */
const CACHED_MODELS = 16;

const MODEL = 'coordgap-model';

/** The key of model `digest` in run `runId`, under the queue's key prefix (`toKey`, BullMQ's QueueBase.toKey: `bull:<queue>:<type>`). */
export function modelKey(toKey: (type: string) => string, runId: string, digest: string): string {
  return toKey(`${MODEL}:${runId}:${digest}`);
}

/** Whether `key` is a model key of this queue (a run id, a sha-256) – the only keys a worker reads for a job. */
export function isModelKey(toKey: (type: string) => string, key: string): boolean {
  const prefix = toKey(`${MODEL}:`);
  return key.startsWith(prefix) && /^[0-9a-f]{6,64}:[0-9a-f]{64}$/.test(key.slice(prefix.length));
}

/** The coordinator's side: stores each large model once, renews them while the run lasts, deletes them at its end. */
export class StoredModels {
  /** By digest: the key a model is stored under, or null for one that goes inline. */
  private readonly keys = new Map<string, string | null>();
  /** The stored models' text, by key, to store again before they expire. */
  private readonly texts = new Map<string, string>();
  private storedAtMs = 0;

  constructor(
    private readonly client: Promise<RedisClient>,
    private readonly toKey: (type: string) => string,
    private readonly runId: string,
    private readonly inlineMaxChars = INLINE_MODEL_MAX_CHARS,
  ) {}

  /**
   * The key model `digest` is stored under, storing `json` (its JSON-safe
   * data as text) the first time; null when it is short enough to go inline.
   */
  async keyFor(digest: string, json: () => string): Promise<string | null> {
    const known = this.keys.get(digest);
    if (known !== undefined) return known;
    const text = json();
    if (text.length <= this.inlineMaxChars) {
      this.keys.set(digest, null);
      return null;
    }
    const key = modelKey(this.toKey, this.runId, digest);
    await (await this.client).set(key, text, { EX: MODEL_TTL_S });
    this.storedAtMs = Date.now();
    this.keys.set(digest, key);
    this.texts.set(key, text);
    return key;
  }

  private stored(): string[] {
    return [...this.texts.keys()];
  }

  /**
   * Keeps the stored models while the run is alive: past half their time to
   * live, stores them again with a fresh expiry (BullMQ's client interface
   * has SET with EX, not EXPIRE; a model is stored again at most every 30 min).
   */
  async renew(): Promise<void> {
    if (this.texts.size === 0 || Date.now() - this.storedAtMs < (MODEL_TTL_S * 1000) / 2) return;
    const client = await this.client;
    this.storedAtMs = Date.now();
    await Promise.all([...this.texts].map(([key, text]) => client.set(key, text, { EX: MODEL_TTL_S })));
  }

  /** Deletes the run's stored models. */
  async remove(): Promise<void> {
    const keys = this.stored();
    this.keys.clear();
    this.texts.clear();
    if (keys.length > 0) await (await this.client).del(...keys);
  }
}

/** The worker's side: fetches a stored model's text once and keeps the most recent ones. */
export class ModelFetcher {
  private readonly cache = new Map<string, unknown>();

  constructor(
    private readonly client: Promise<RedisClient>,
    private readonly toKey: (type: string) => string,
  ) {}

  /**
   * The parsed JSON stored under `key` (still JSON-safe; the caller decodes
   * and checks it against the digest).
   * @throws Error when the key is not a model key of this queue, or the model is gone
   */
  async fetch(key: string): Promise<unknown> {
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    if (!isModelKey(this.toKey, key)) throw new Error(`its model key is not one of this queue's (${this.toKey(`${MODEL}:`)}<run>:<digest>)`);
    const text = await (await this.client).get(key);
    if (text === null) throw new Error('its model is no longer in Redis: the run that enqueued it has ended (or was interrupted)');
    const parsed: unknown = JSON.parse(text);
    if (this.cache.size >= CACHED_MODELS) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, parsed);
    return parsed;
  }
}
