/**
 * `coordgap run FILE --export-otel spans.jsonl`: a bounded sample of a
 * scenario's simulated requests as OpenTelemetry traces, so a simulated run
 * can be looked at in the tracing tools users already have (Jaeger, Tempo,
 * Langfuse, Phoenix, an OTel collector's otlpjsonfile receiver), and so
 * `coordgap fit` can be tested on a round trip: simulate a known scenario,
 * export, fit, compare.
 *
 * The file: OTLP JSON lines (otlp-json.ts), one ExportTraceServiceRequest per
 * line holding one request's trace. Span names and attributes follow the
 * OpenTelemetry GenAI semantic conventions (open-telemetry/semantic-conventions
 * docs/gen-ai/gen-ai-spans.md and gen-ai-agent-spans.md, v1.56.0 tree of
 * April 2026, since moved to open-telemetry/semantic-conventions-genai):
 * - the request: root span `invoke_agent {scenario name}`, kind INTERNAL
 *   (span.gen_ai.invoke_agent.internal), `gen_ai.operation.name`
 *   invoke_agent, `gen_ai.agent.name`; its duration is the request's
 *   end-to-end latency. Status ERROR (with `error.type` the outcome, `timeout`
 *   for timedOut) unless the outcome is success or silentFailure: a silent
 *   failure looks fine to every span – that is the point of it.
 * - an attempt of an `llm:` stage: `chat {model}`, kind CLIENT
 *   (span.gen_ai.inference.client), `gen_ai.operation.name` chat,
 *   `gen_ai.request.model`, `gen_ai.provider.name` (the current attribute;
 *   the registry marks `gen_ai.system` deprecated, "Replaced by
 *   gen_ai.provider.name"), `gen_ai.usage.input_tokens` / `output_tokens`
 *   where the scenario fixes them (see below);
 * - an attempt of a `tool: true` stage: `execute_tool {stage}`, kind
 *   INTERNAL (span.gen_ai.execute_tool.internal), `gen_ai.tool.name`;
 * - any other attempt: named by its stage id, `gen_ai.operation.name` the
 *   stage id (a custom value: none of the well-known operations applies).
 * - a failed attempt: status ERROR and `error.type` – `timeout`, `429`
 *   (rate limited), `529` (overloaded: Anthropic's status for it),
 *   `insufficient_quota` (OpenAI's error code for a used-up quota),
 *   `caught_corruption` (the stage's input validation caught corrupt input),
 *   `cancelled` (still running when the request ended), and `_OTHER` for a
 *   plain loud error – the registry's fallback value "when the
 *   instrumentation doesn't define a custom value".
 * - the true outcome, as an evaluation pipeline would attach it: a span event
 *   `gen_ai.evaluation.result` on the root (docs/gen-ai/gen-ai-events.md:
 *   "SHOULD be parented to GenAI operation span being evaluated") with
 *   `gen_ai.evaluation.name` "coordgap.correct", `gen_ai.evaluation.score.label`
 *   pass | fail, `gen_ai.evaluation.score.value` 1 | 0 and the outcome as
 *   `gen_ai.evaluation.explanation`; and, for readers that look at span
 *   attributes only, `coordgap.evaluation.passed` (bool) and `coordgap.outcome`
 *   on the root. Passed means the user got a correct result: success only.
 * Simulator-only ground truth a real trace would not have is kept under
 * `coordgap.*`: `coordgap.attempt.result` (ok, corrupt, stale …),
 * `coordgap.stage.id`, `coordgap.attempt`, `coordgap.hedge`.
 *
 * Tokens: trace events carry no per-attempt token counts, so usage is written
 * only where the scenario fixes it (a stage's `tokens:`, or an `llm:` call
 * whose token law has a single value), and only for answered attempts.
 *
 * Ids and times are deterministic: trace id from the scenario name, seed and
 * request index; span id from the trace id and the span's serial; times are
 * EXPORT_EPOCH_MS (2025-01-01T00:00:00Z) plus the simulated ms. The same run
 * exports the same bytes.
 */
import { closeSync, constants, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { runReplication, type Model, type StageModel } from '../../sim/path/index.js';
import { RunCancelledError } from '../../sim/kernel/index.js';
import { SpanAssembler, definitionsById, type AttemptSpan, type RequestSpans, type SampleSpec } from './span-assembly.js';
import {
  attribute, exportRequestLine, spanIdOf, traceIdOf, unixNano, EXPORT_EPOCH_MS, SPAN_KIND_CLIENT, SPAN_KIND_INTERNAL, STATUS_CODE_ERROR,
  type OtlpKeyValue, type OtlpSpan,
} from './otlp-json.js';
import { assertReplaceable, fsError } from '../safe-files.js';
import { UsageError } from '../usage-error.js';
import { VERSION } from '../version.js';

/** Requests exported by default: the first 1,000 – enough for a fit's intervals, small enough to open in a tracing UI (a few MB). */
export const DEFAULT_EXPORT_REQUESTS = 1000;

export interface ExportSpansOptions {
  /** Requests exported at most (default DEFAULT_EXPORT_REQUESTS). */
  maxRequests?: number;
  /** Export every k-th request by arrival order (default 1: the first `maxRequests`). */
  every?: number;
  /** Ids of the stages written `tool: true` in the scenario (exported as execute_tool). */
  toolStages?: ReadonlySet<string>;
  /** The run's seed (default: the model's): the simulation's and the ids'. */
  seed?: number | string;
  /** Simulated time 0 as Unix ms (default EXPORT_EPOCH_MS, 2025-01-01T00:00:00Z). */
  epochMs?: number;
}

export interface ExportSummary {
  /** Requests written (one line each). */
  requests: number;
  /** Spans written, roots included. */
  spans: number;
  /** Sampled requests the run ended before they did (a run cut short by its limits): not written. */
  unfinished: number;
}

/** What a stage's attempt spans say about it, worked out once per definition. */
interface SpanShape {
  name: string;
  kind: number;
  attributes: OtlpKeyValue[];
  inputTokens: number | null;
  outputTokens: number | null;
}

function fixedOrNull(min: number, max: number): number | null {
  return min === max ? min : null;
}

function shapeOf(model: Model, def: StageModel, tools: ReadonlySet<string>): SpanShape {
  const common = [attribute('coordgap.stage.id', def.id)];
  if (def.llm !== undefined && model.providers !== undefined) {
    const provider = model.providers[def.llm.provider];
    const name = provider.models[def.llm.model].id;
    const out = def.llm.outputTokens;
    return {
      name: `chat ${name}`,
      kind: SPAN_KIND_CLIENT,
      attributes: [attribute('gen_ai.operation.name', 'chat'), attribute('gen_ai.provider.name', provider.id), attribute('gen_ai.request.model', name), ...common],
      inputTokens: fixedOrNull(def.llm.inputTokens.min, def.llm.inputTokens.max),
      outputTokens: fixedOrNull(Math.min(out.min, def.llm.maxTokens), Math.min(out.max, def.llm.maxTokens)),
    };
  }
  const tokens = { inputTokens: def.inputTokensPerCall > 0 ? def.inputTokensPerCall : null, outputTokens: def.outputTokensPerCall > 0 ? def.outputTokensPerCall : null };
  if (tools.has(def.id))
    return { name: `execute_tool ${def.id}`, kind: SPAN_KIND_INTERNAL, attributes: [attribute('gen_ai.operation.name', 'execute_tool'), attribute('gen_ai.tool.name', def.id), ...common], ...tokens };
  return { name: def.id, kind: SPAN_KIND_INTERNAL, attributes: [attribute('gen_ai.operation.name', def.id), ...common], ...tokens };
}

/** error.type and a status message per failed attempt result (the values the module comment documents). */
const ATTEMPT_ERRORS: Readonly<Partial<Record<AttemptSpan['result'], [string, string]>>> = {
  error: ['_OTHER', 'the call failed'],
  timeout: ['timeout', 'the attempt ran past its time limit'],
  caught: ['caught_corruption', "the stage's input validation caught corrupted input"],
  rateLimited: ['429', 'rate limited by the provider'],
  overloaded: ['529', 'the provider was overloaded'],
  quota: ['insufficient_quota', "the provider's quota was used up"],
  cancelled: ['cancelled', 'still running when the request ended'],
};

/** error.type per request outcome that is an error (success and silentFailure are not). */
const OUTCOME_ERRORS: Readonly<Record<string, string>> = { failed: 'failed', escalated: 'escalated', timedOut: 'timeout', rejected: 'rejected' };

/** Turns ended requests into OTLP lines. */
class LineEncoder {
  private readonly shapes = new Map<string, SpanShape>();
  private readonly resource: OtlpKeyValue[];
  private readonly scope = { name: 'coordgap', version: VERSION };

  constructor(
    private readonly model: Model,
    private readonly seed: number | string,
    private readonly epochMs: number,
    tools: ReadonlySet<string>,
  ) {
    for (const [id, def] of definitionsById(model)) this.shapes.set(id, shapeOf(model, def, tools));
    this.resource = [attribute('service.name', model.name), attribute('coordgap.scenario', model.name), attribute('coordgap.seed', String(seed))];
  }

  encode(r: RequestSpans): { line: string; spans: number } {
    const traceId = traceIdOf(this.model.name, this.seed, r.request);
    const rootId = spanIdOf(traceId, 0);
    const passed = r.outcome === 'success';
    const outcomeError = OUTCOME_ERRORS[r.outcome];
    const end = unixNano(r.endMs, this.epochMs);
    const root: OtlpSpan = {
      traceId,
      spanId: rootId,
      name: `invoke_agent ${this.model.name}`,
      kind: SPAN_KIND_INTERNAL,
      startTimeUnixNano: unixNano(r.arriveMs, this.epochMs),
      endTimeUnixNano: end,
      attributes: [
        attribute('gen_ai.operation.name', 'invoke_agent'),
        attribute('gen_ai.agent.name', this.model.name),
        attribute('coordgap.request.index', r.request),
        attribute('coordgap.outcome', r.outcome),
        attribute('coordgap.evaluation.passed', passed),
        ...(outcomeError === undefined ? [] : [attribute('error.type', outcomeError)]),
      ],
      events: [
        {
          timeUnixNano: end,
          name: 'gen_ai.evaluation.result',
          attributes: [
            attribute('gen_ai.evaluation.name', 'coordgap.correct'),
            attribute('gen_ai.evaluation.score.label', passed ? 'pass' : 'fail'),
            attribute('gen_ai.evaluation.score.value', passed ? 1 : 0, true),
            attribute('gen_ai.evaluation.explanation', r.outcome),
          ],
        },
      ],
      status: outcomeError === undefined ? {} : { code: STATUS_CODE_ERROR, message: `request ${r.outcome}` },
    };
    const spans = [root];
    for (const a of r.attempts) spans.push(this.attemptSpan(traceId, rootId, a));
    return { line: exportRequestLine(this.resource, this.scope, spans), spans: spans.length };
  }

  private attemptSpan(traceId: string, rootId: string, a: AttemptSpan): OtlpSpan {
    const shape = this.shapes.get(a.stage) ?? shapeOf(this.model, { id: a.stage, inputTokensPerCall: 0, outputTokensPerCall: 0 } as StageModel, new Set());
    const attributes = [...shape.attributes, attribute('coordgap.attempt', a.attempt), attribute('coordgap.attempt.result', a.result)];
    if (a.hedge) attributes.push(attribute('coordgap.hedge', true));
    const answered = a.result === 'ok' || a.result === 'corrupt' || a.result === 'stale';
    if (answered && shape.inputTokens !== null) attributes.push(attribute('gen_ai.usage.input_tokens', shape.inputTokens));
    if (answered && shape.outputTokens !== null) attributes.push(attribute('gen_ai.usage.output_tokens', shape.outputTokens));
    const failure = ATTEMPT_ERRORS[a.result];
    if (failure !== undefined) attributes.push(attribute('error.type', failure[0]));
    return {
      traceId,
      spanId: spanIdOf(traceId, a.serial),
      parentSpanId: rootId,
      name: shape.name,
      kind: shape.kind,
      startTimeUnixNano: unixNano(a.startMs, this.epochMs),
      endTimeUnixNano: unixNano(a.endMs, this.epochMs),
      attributes,
      status: failure === undefined ? {} : { code: STATUS_CODE_ERROR, message: failure[1] },
    };
  }
}

function sampleOf(options: ExportSpansOptions): SampleSpec {
  const maxRequests = options.maxRequests ?? DEFAULT_EXPORT_REQUESTS;
  const every = options.every ?? 1;
  if (!Number.isSafeInteger(maxRequests) || maxRequests < 1) throw new RangeError(`options.maxRequests must be a positive integer; got ${maxRequests}`);
  if (!Number.isSafeInteger(every) || every < 1) throw new RangeError(`options.every must be a positive integer; got ${every}`);
  return { maxRequests, every };
}

/**
 * Simulates the baseline's first replication (the run's own seed, so the
 * exported requests are that replication's) in this thread and writes each
 * sampled request's trace to `writeLine` as it ends. The run stops as soon
 * as every sampled request has ended: a sample of the first 1,000 requests
 * costs the simulation of about 1,000, whatever the scenario's `requests`.
 */
export function exportSpans(model: Model, writeLine: (line: string) => void, options: ExportSpansOptions = {}): ExportSummary {
  const seed = options.seed ?? model.seed;
  const encoder = new LineEncoder(model, seed, options.epochMs ?? EXPORT_EPOCH_MS, options.toolStages ?? new Set());
  let spans = 0;
  const assembler = new SpanAssembler(model, sampleOf(options), (r) => {
    const encoded = encoder.encode(r);
    spans += encoded.spans;
    writeLine(encoded.line);
  });
  try {
    runReplication(model, 0, { seed, onTrace: assembler.onTrace, isCancelled: () => assembler.complete });
  } catch (e) {
    if (!(e instanceof RunCancelledError)) throw e;
  }
  return { requests: assembler.emitted, spans, unfinished: assembler.inFlight };
}

/**
 * Refuses `target` before any work: an existing file unless `force` (the
 * rule --out follows for files coordgap did not write), and anything no
 * write may replace (a directory, a symbolic link).
 * @throws UsageError / FileSystemError naming the path.
 */
export async function checkExportTarget(target: string, force: boolean, shownAs = target): Promise<void> {
  try {
    await assertReplaceable(target);
  } catch (e) {
    throw fsError('write', shownAs, e);
  }
  if (force) return;
  const exists = await lstat(target).then(
    () => true,
    (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return false;
      throw fsError('write', shownAs, e);
    },
  );
  if (exists) throw new UsageError(`refusing to overwrite ${shownAs}; pass --force to replace it or choose another file`);
}

/**
 * exportSpans into the file `target`, atomically: the lines go to an
 * exclusive temporary file beside it (O_EXCL|O_NOFOLLOW, 96 random bits in
 * its name: safe-files.ts's rules), synced, then renamed over the target –
 * a reader sees no file or the whole file, never half of one, and a failure
 * leaves nothing behind. Lines are written as requests end, so memory holds
 * only the requests in flight.
 * @throws UsageError when `target` exists and `force` is false; FileSystemError naming the path and the OS's reason.
 */
export async function exportSpansToFile(model: Model, target: string, options: ExportSpansOptions & { force?: boolean; shownAs?: string } = {}): Promise<ExportSummary> {
  const shownAs = options.shownAs ?? target;
  await checkExportTarget(target, options.force === true, shownAs);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(12).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
  } catch (e) {
    throw fsError('write', shownAs, e);
  }
  let open = true;
  try {
    const summary = exportSpans(model, (line) => {
      try {
        writeSync(fd, line);
      } catch (e) {
        throw fsError('write', shownAs, e);
      }
    }, options);
    try {
      fsyncSync(fd);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EINVAL' && code !== 'ENOTSUP') throw fsError('write', shownAs, e);
    }
    closeSync(fd);
    open = false;
    // Checked again just before the rename: a file that appeared while the run went on is not replaced without --force.
    await checkExportTarget(target, options.force === true, shownAs);
    try {
      renameSync(temp, target);
    } catch (e) {
      throw fsError('write', shownAs, e);
    }
    return summary;
  } catch (e) {
    if (open) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // Gone already (renamed, or never written): nothing left behind either way.
    }
    throw e;
  }
}
