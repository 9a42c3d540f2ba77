/**
 * Reads a trace file – OTLP/JSON (the collector file exporter's lines, or one
 * pretty-printed document) or the JSONL span format – into FitSpans for
 * `coordgap fit`. Never prints: problems that stop the read are a
 * SpanReadError naming file, line, span and field; the rest come back as
 * warnings.
 *
 * The file is read as a stream, line by line (node:readline over a read
 * stream), so memory grows with the spans kept – not with the file: a 1 GiB
 * file of many small spans costs what its FitSpans cost. It is refused before
 * a byte is read when larger than `maxBytes`, and the stream stops one byte
 * past it if the file grows while being read (same rule as safe-files.ts:
 * only a regular file, opened without blocking on a FIFO, checked by fstat
 * on the descriptor that is read).
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { fsError, FileSystemError } from '../safe-files.js';
import { mib, READ_SPANS_DEFAULTS, SpanCollector, type FilledReadSpansOptions, type ReadSpansOptions, type SpanReadResult } from './span-collector.js';
import { SpanReadError } from './span-read-error.js';

export { READ_SPANS_DEFAULTS, type ReadSpansOptions, type SpanFormat, type SpanReadResult } from './span-collector.js';

/** Options with the defaults filled, each checked ("options.maxBytes must be a positive integer"). */
function fill(options: ReadSpansOptions): FilledReadSpansOptions {
  const o = { ...READ_SPANS_DEFAULTS, ...options };
  for (const key of ['maxBytes', 'maxDocumentBytes'] as const)
    if (!Number.isSafeInteger(o[key]) || o[key] <= 0) throw new RangeError(`options.${key} must be a positive integer (bytes)`);
  if (!Number.isFinite(o.clockSkewToleranceMs) || o.clockSkewToleranceMs < 0) throw new RangeError('options.clockSkewToleranceMs must be a number of milliseconds ≥ 0');
  if (o.onIncompleteTrace !== 'drop' && o.onIncompleteTrace !== 'error') throw new RangeError("options.onIncompleteTrace must be 'drop' or 'error'");
  return o;
}

/**
 * The spans of in-memory lines (tests, or text already read). Same rules as
 * `readSpansFile`, apart from the byte limits on the file as a whole.
 * @param file how messages name the source
 * @throws SpanReadError
 */
export function parseSpanLines(lines: Iterable<string>, file: string, options: ReadSpansOptions = {}): SpanReadResult {
  const collector = new SpanCollector(file, fill(options));
  let n = 0;
  for (const line of lines) collector.line(line.endsWith('\r') ? line.slice(0, -1) : line, ++n);
  return collector.end();
}

/**
 * The spans of the trace file at `path`, read as a stream.
 * @param options.shownAs how messages name the file (default: `path`)
 * @throws SpanReadError for what is in the file ("t.jsonl:7: span ab12…: end: …"), or when it is larger than maxBytes;
 *   FileSystemError when it cannot be opened or is not a regular file.
 */
export async function readSpansFile(path: string, options: ReadSpansOptions & { shownAs?: string } = {}): Promise<SpanReadResult> {
  const filled = fill(options);
  const shown = options.shownAs ?? path;
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    throw fsError('read trace file', shown, e);
  }
  let stream: ReturnType<FileHandle['createReadStream']> | undefined;
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new FileSystemError(`cannot read trace file ${shown}: it is not a regular file`);
    if (stat.size > filled.maxBytes) throw tooLarge(shown, filled.maxBytes, stat.size);
    // `end` is inclusive: at most maxBytes + 1 bytes are read, enough to see a file that grew past the limit.
    stream = handle.createReadStream({ start: 0, end: filled.maxBytes, autoClose: false });
    const collector = new SpanCollector(shown, filled);
    const lines = createInterface({ input: Readable.from(guarded(stream, shown, filled)), crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) collector.line(line, ++n);
    return collector.end();
  } catch (e) {
    if (e instanceof SpanReadError || e instanceof FileSystemError) throw e;
    throw fsError('read', shown, e);
  } finally {
    stream?.destroy();
    await handle.close().catch(() => {});
  }
}

/**
 * The file's bytes, passed on unchanged, refusing (before readline joins them
 * into one string) a file past maxBytes and a line past maxDocumentBytes.
 */
async function* guarded(stream: AsyncIterable<Buffer>, shown: string, options: FilledReadSpansOptions): AsyncGenerator<Buffer> {
  let total = 0;
  let lineNo = 1;
  let lineBytes = 0;
  for await (const chunk of stream) {
    total += chunk.length;
    if (total > options.maxBytes) throw tooLarge(shown, options.maxBytes);
    for (let from = 0; ; ) {
      const nl = chunk.indexOf(10, from);
      lineBytes += (nl === -1 ? chunk.length : nl) - from;
      if (lineBytes > options.maxDocumentBytes)
        throw new SpanReadError(
          { file: shown, line: lineNo },
          `this line is longer than ${mib(options.maxDocumentBytes)} (maxDocumentBytes), the most parsed as one JSON text; write OTLP as one export per line (as the collector's file exporter does) or raise the limit`,
        );
      if (nl === -1) break;
      lineNo++;
      lineBytes = 0;
      from = nl + 1;
    }
    yield chunk;
  }
}

function tooLarge(shown: string, maxBytes: number, size?: number): SpanReadError {
  const what =
    size === undefined
      ? `the file holds more than the limit of ${mib(maxBytes)} (maxBytes) – it grew while being read, or its size was not known beforehand; nothing was returned`
      : `the file is ${mib(size)}, over the limit of ${mib(maxBytes)} (maxBytes); nothing was read`;
  return new SpanReadError({ file: shown }, `${what}. Split it (keeping each trace's spans in one file) or raise the limit`);
}
