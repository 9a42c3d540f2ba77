/**
 * The one error the span readers throw: a trace file that cannot be read as
 * spans. It names the file, the line (1-based), the span and the field, and
 * its message says what would be valid – never a stack trace (a UsageError:
 * exit 2).
 */
import { UsageError } from '../usage-error.js';
import { excerpt } from '../untrusted-text.js';

/** Where a problem is: the file as messages name it, and what is known of the line, span and field. */
export interface SpanPlace {
  file: string;
  line?: number | null;
  /** 1-based column, for a JSON syntax error. */
  column?: number | null;
  /** The span's id as read (shown escaped: it may be anything when it is what is wrong). */
  spanId?: string | null;
  /** The field as the format names it: "endTimeUnixNano", "attributes[gen_ai.usage.input_tokens]", "start". */
  field?: string | null;
}

/**
 * A trace file that cannot be read.
 * The message reads `<file>:<line>: span <id>: <field>: <reason>`, each part
 * present when known: "traces.jsonl:12: span 00f067aa0ba902b7: end: …".
 */
export class SpanReadError extends UsageError {
  readonly file: string;
  readonly line: number | null;
  readonly column: number | null;
  readonly spanId: string | null;
  readonly field: string | null;
  /** The message without the place. */
  readonly reason: string;
  constructor(place: SpanPlace, reason: string) {
    super(`${placeText(place)}${reason}`);
    this.name = 'SpanReadError';
    this.file = place.file;
    this.line = place.line ?? null;
    this.column = place.column ?? null;
    this.spanId = place.spanId ?? null;
    this.field = place.field ?? null;
    this.reason = reason;
  }
}

/** "t.jsonl:12: span 00f0…: end: " – the prefix a message or a warning starts with. */
export function placeText(place: SpanPlace): string {
  const parts = [place.line ? `${place.file}:${place.line}${place.column ? `:${place.column}` : ''}` : place.file];
  if (place.spanId) parts.push(`span ${shownId(place.spanId)}`);
  if (place.field) parts.push(place.field);
  return `${parts.join(': ')}: `;
}

/** An id as a message shows it: as is when it is plain (hex, a UUID, "req-1"), else a short escaped excerpt. */
export function shownId(id: string): string {
  return /^[A-Za-z0-9._:-]{1,64}$/.test(id) ? id : excerpt(id, 40);
}

/** A value read from the file, for a message: JSON-ish and short ("abc" quoted and escaped, 12, true, an object, a list). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value === '' ? 'an empty string' : excerpt(value, 40);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'an object';
}
