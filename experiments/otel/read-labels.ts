/**
 * Per-trace evaluation labels kept apart from the traces (an evaluation
 * pipeline's output, joined by trace id): JSON Lines of
 * `{"traceId": "…", "evaluation": true | false | "pass" | "fail" | …}`, the
 * same labels the JSONL span format's `evaluation` takes. A label here
 * decides its trace's root span, over any label the spans carry.
 */
import { readRegularFile } from '../safe-files.js';
import { UsageError } from '../usage-error.js';
import { labelVerdict } from './genai-attributes.js';
import type { FitSpan } from '../../sim/fit/index.js';

/** Largest labels file read: one line per trace, a few dozen bytes each – far past any trace file's trace count. */
const MAX_LABELS_BYTES = 256 * 1024 * 1024;

export function parseLabels(text: string, file: string): Map<string, boolean> {
  const labels = new Map<string, boolean>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const at = `${file}:${i + 1}`;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (e) {
      throw new UsageError(`${at}: not valid JSON (${(e as Error).message}); expected one label per line: {"traceId": "…", "evaluation": true}`);
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record))
      throw new UsageError(`${at}: expected an object {"traceId": "…", "evaluation": true}; got ${line.slice(0, 60)}`);
    const { traceId, evaluation } = record as { traceId?: unknown; evaluation?: unknown };
    if (typeof traceId !== 'string' || traceId === '') throw new UsageError(`${at}: traceId: expected the trace's id as a non-empty string (as its spans give it)`);
    const verdict = labelVerdict(evaluation);
    if (verdict === undefined)
      throw new UsageError(`${at}: evaluation: expected true/false or a pass/fail label ("pass", "fail", "correct", "incorrect"); got ${JSON.stringify(evaluation) ?? 'nothing'}`);
    const before = labels.get(traceId);
    if (before !== undefined && before !== verdict) throw new UsageError(`${at}: trace ${traceId} is labelled both pass and fail; keep one label per trace`);
    labels.set(traceId, verdict);
  });
  return labels;
}

export async function readLabelsFile(path: string, shownAs: string): Promise<Map<string, boolean>> {
  return parseLabels(await readRegularFile(path, 'labels file', MAX_LABELS_BYTES, { shownAs }), shownAs);
}

/**
 * The spans with each labelled trace's root carrying its label; how many
 * labels named no trace of the spans (a warning, not an error: labels are
 * often kept for more traces than one export holds).
 */
export function applyLabels(spans: readonly FitSpan[], labels: ReadonlyMap<string, boolean>): { spans: FitSpan[]; unmatched: number } {
  const seen = new Set<string>();
  const out = spans.map((s) => {
    if (s.parentSpanId !== null || !labels.has(s.traceId)) return s;
    seen.add(s.traceId);
    return { ...s, evaluationPassed: labels.get(s.traceId)! };
  });
  return { spans: out, unmatched: labels.size - seen.size };
}
