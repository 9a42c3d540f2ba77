/**
 * What a record parser (parse-otlp.ts, parse-jsonl-span.ts) gets from the
 * reader: where it is, how to fail with a positioned message, and how to
 * leave a warning that is counted rather than repeated once per span.
 */
import { SpanReadError, type SpanPlace } from './span-read-error.js';

export class RecordContext {
  /** Warnings by kind: the first example's text and how many times it happened. */
  private readonly warnings = new Map<string, { text: string; count: number }>();
  /** Line of the first span whose times were read (for "the other spans here are in …"). */
  firstTimeLine: number | null = null;
  /** The record's line; in a one-document file, the line of each span found by `lineOfSpan`. */
  line = 0;
  lineOfSpan: ((spanId: string) => number) | null = null;

  constructor(readonly file: string) {}

  /** Throws a SpanReadError at this record's line. */
  fail(reason: string, place: Omit<SpanPlace, 'file'> = {}): never {
    throw new SpanReadError({ file: this.file, line: this.line, ...place }, reason);
  }

  /** Records a warning of `kind`; the first one's text is kept, later ones are counted. */
  warn(kind: string, text: string): void {
    const seen = this.warnings.get(kind);
    if (seen) seen.count++;
    else this.warnings.set(kind, { text, count: 1 });
  }

  /** The warnings, one line per kind: "…; and 41 more like it". */
  warningLines(): string[] {
    return [...this.warnings.values()].map(({ text, count }) => (count > 1 ? `${text} (and ${count - 1} more like it)` : text));
  }
}
