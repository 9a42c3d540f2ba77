/**
 * One span as `coordgap fit` reads it, whatever file it came from (OTLP
 * JSON's resourceSpans layout, or the simple JSONL format the README
 * documents): the fields the fit uses, in milliseconds and plain values.
 * The readers (experiments/otel/) fill it; the fit (sim/fit/) reads only it.
 */
export interface FitSpan {
  traceId: string;
  spanId: string;
  /** The parent span's id; null for a trace's root. */
  parentSpanId: string | null;
  /** The span's name as recorded ("chat gpt-4o", "execute_tool search"). */
  name: string;
  /** What the operation is, for grouping spans into nodes: gen_ai.operation.name when present, else the name. */
  operation: string;
  /** SpanKind as OTLP numbers it (0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer). */
  kind: number;
  /** Start and end, ms since the Unix epoch (fractions kept: OTLP gives nanoseconds). */
  startMs: number;
  endMs: number;
  /** Status ERROR (or an error.type attribute) makes it a failed span. */
  error: boolean;
  /** error.type when given ("timeout", "429", "RateLimitError"); null otherwise. */
  errorType: string | null;
  /** gen_ai.usage.input_tokens / output_tokens; null when absent. */
  inputTokens: number | null;
  outputTokens: number | null;
  /** Time to first token, ms, when a span carries it; null otherwise. */
  ttftMs: number | null;
  /** An evaluation label the span (or its trace) carries: true = the result was right; null when none. */
  evaluationPassed: boolean | null;
  /** Where it was read: file line (1-based) – for messages. */
  line: number;
}
