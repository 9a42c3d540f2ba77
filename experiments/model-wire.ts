/**
 * A compiled model in the form that crosses to a worker thread. A Model is
 * plain data but for its samplers, class instances that structured clone
 * would strip to bare fields; on the wire each sampler is its spec
 * (kernel samplerSpec) and the worker rebuilds it with makeSampler – the same
 * constructor on the same numbers, so the worker runs exactly the model this
 * thread compiled. Workers therefore neither validate nor compile: they load
 * the engine and nothing else (no zod, no YAML parser – about 0.2 CPU-s less
 * per worker start).
 *
 * The digest names the model's content (sha-256 of the wire form): the worker
 * keeps rebuilt models by it, and the experiments layer keys finished runs by
 * it (session.ts).
 */
import { createHash } from 'node:crypto';
import { makeSampler, samplerSpec, type DistSpec } from '../sim/kernel/index.js';
import type { Model } from '../sim/path/index.js';
import { LlmServiceSampler, TokenSampler, makeTokenSampler, type TokenCountInput } from '../sim/llm/index.js';

export interface WireModel {
  /** sha-256 of `data` (hex): equal digests, equal models. */
  digest: string;
  /** The model with every sampler replaced by `{ [SAMPLER]: spec }`. */
  data: unknown;
}

/** The key that marks a sampler on the wire; no model field is named so. */
const SAMPLER = '$coordgapSampler';
/** An LLM call's token count (sim/llm/tokens.ts), as the file wrote it. */
const TOKENS = '$coordgapTokens';
/** An LLM call's service-time law (sim/llm/service-time.ts): its parts. */
const LLM_SERVICE = '$coordgapLlmService';

const wired = new WeakMap<Model, WireModel>();

function isPlain(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || Array.isArray(value);
}

/** `value` with every sampler replaced by its spec; throws naming the field of anything else that is not plain data. */
function encode(value: unknown, path: string): unknown {
  if (typeof value === 'function') throw new Error(`model field ${path} is a function: a model sent to a worker thread must be data`);
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  if (value instanceof TokenSampler) return { [TOKENS]: value.input };
  if (value instanceof LlmServiceSampler)
    return { [LLM_SERVICE]: { ttft: encode(value.ttft, `${path}.ttft`), tpot: encode(value.tpot, `${path}.tpot`), outputTokens: value.outputTokens.input, maxTokens: value.maxTokens } };
  if (!isPlain(value)) {
    const spec = samplerSpec(value as never);
    if (spec === undefined) throw new Error(`model field ${path} is neither plain data nor a sampler made by makeSampler: it cannot be sent to a worker thread`);
    return { [SAMPLER]: spec };
  }
  if (Array.isArray(value)) return value.map((v, i) => encode(v, `${path}[${i}]`));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = encode(v, path === '' ? k : `${path}.${k}`);
  return out;
}

/** JSON that tells apart what plain JSON merges: Infinity, −Infinity and NaN (all `null`), −0 and 0. */
function digestText(data: unknown): string {
  return JSON.stringify(data, (_k, v: unknown) =>
    typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? `${SAMPLER}:number:${Object.is(v, -0) ? '-0' : String(v)}` : v,
  );
}

/** The digest of a model's wire data: what `WireModel.digest` must be (a job queue's worker checks it on what it received). */
export function wireDigest(data: unknown): string {
  return createHash('sha256').update(digestText(data)).digest('hex');
}

/** The model's wire form, made once per model object (a model is read-only once compiled). */
export function toWire(model: Model): WireModel {
  let w = wired.get(model);
  if (w === undefined) {
    const data = encode(model, '');
    w = { digest: wireDigest(data), data };
    wired.set(model, w);
  }
  return w;
}

function decode(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map(decode);
  const record = value as Record<string, unknown>;
  if (SAMPLER in record) return makeSampler(record[SAMPLER] as DistSpec);
  if (TOKENS in record) return makeTokenSampler(record[TOKENS] as TokenCountInput);
  if (LLM_SERVICE in record) {
    const w = record[LLM_SERVICE] as { ttft: unknown; tpot: unknown; outputTokens: TokenCountInput; maxTokens: number };
    return new LlmServiceSampler(decode(w.ttft) as never, decode(w.tpot) as never, makeTokenSampler(w.outputTokens), w.maxTokens);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) out[k] = decode(v);
  return out;
}

/** The model again, samplers rebuilt; a fresh object the caller may keep. */
export function fromWire(wire: WireModel): Model {
  return decode(wire.data) as Model;
}
