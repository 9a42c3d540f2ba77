/**
 * Timestamps as the two span formats write them, turned into milliseconds
 * since the Unix epoch – and the unit a number most likely is in, so a file
 * that mixes seconds into nanoseconds is caught with a message that says
 * what was detected.
 *
 * - OTLP: `startTimeUnixNano` / `endTimeUnixNano` are "UNIX Epoch time in
 *   nanoseconds since 00:00:00 UTC on 1 January 1970" (fixed64;
 *   open-telemetry/opentelemetry-proto opentelemetry/proto/trace/v1/trace.proto),
 *   and "64-bit integer numbers in JSON-encoded payloads are encoded as
 *   decimal strings, and either numbers or strings are accepted when
 *   decoding" (docs/specification.md, "JSON Protobuf Encoding"). The
 *   repository's own examples/trace.json writes them as numbers, the
 *   specification's file-exporter example (opentelemetry-specification
 *   specification/protocol/file-exporter.md) as strings.
 * - The JSONL span format: ISO-8601 with a time zone, or milliseconds since
 *   the epoch as a number.
 *
 * Magnitude tells the unit of an epoch time from 1973 to 5138: 1e8–1e11 is
 * seconds, 1e11–1e14 milliseconds, 1e14–1e17 microseconds, 1e17–1e20
 * nanoseconds (1e8 s is 1973-03-03; 1e11 s is the year 5138). A time before
 * 1973 in any unit is taken as no epoch time at all.
 */

export type TimeUnit = 'seconds' | 'milliseconds' | 'microseconds' | 'nanoseconds';

const UNIT_FLOOR: readonly [TimeUnit, number, number][] = [
  ['seconds', 1e8, 1e3],
  ['milliseconds', 1e11, 1],
  ['microseconds', 1e14, 1e-3],
  ['nanoseconds', 1e17, 1e-6],
];

/** The unit an epoch time of this size is in; null when it is below 1e8 (before 1973 even in seconds) or at/above 1e20. */
export function unitByMagnitude(value: number): TimeUnit | null {
  if (!(value >= 1e8) || value >= 1e20) return null;
  let unit: TimeUnit = 'seconds';
  for (const [name, floor] of UNIT_FLOOR) if (value >= floor) unit = name;
  return unit;
}

/** "2024-06-10T06:13:20.000Z": what `value` would be if it were in `unit` (for messages). */
export function asDate(value: number, unit: TimeUnit): string {
  const factor = UNIT_FLOOR.find(([name]) => name === unit)![2];
  const ms = value * factor;
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : 'out of range';
}

/**
 * Nanoseconds since the epoch (an OTLP decimal string or a JSON number) as
 * milliseconds, or a reason it is not one. A string keeps its sub-millisecond
 * digits exactly apart from the final rounding to a double (~0.25 µs today);
 * a JSON number above 2^53 has already lost ~0.1 µs in JSON.parse.
 */
export function nanosToMs(raw: unknown): { ms: number; nanos: number } | { problem: string } {
  if (typeof raw === 'string') {
    if (!/^\d{1,20}$/.test(raw)) return { problem: 'expected nanoseconds since the epoch as a decimal string or a number ("1718000000123456789")' };
    const whole = raw.length > 6 ? Number(raw.slice(0, -6)) : 0;
    const rest = Number(raw.slice(-6));
    return { ms: whole + rest / 1e6, nanos: Number(raw) };
  }
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw < 0 || !Number.isInteger(raw)) return { problem: 'expected a whole, non-negative number of nanoseconds since the epoch' };
    return { ms: raw / 1e6, nanos: raw };
  }
  return { problem: 'expected nanoseconds since the epoch as a decimal string or a number ("1718000000123456789")' };
}

/** ISO-8601 date-time with a zone: 2024-06-10T06:13:20Z, …20.123456+02:00. */
const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An ISO-8601 date-time as ms since the epoch (fraction digits past the
 * millisecond kept), or null when it is not one. A zone (Z or ±hh:mm) is
 * required: a local time would be read in whatever zone the machine is in.
 */
export function isoToMs(text: string): number | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const base = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(base)) return null;
  const fraction = m[2] ? Number(`0.${m[2]}`) * 1000 : 0;
  return base + fraction;
}
