/**
 * Text read from a file is data: shown in a message only as a short escaped
 * excerpt, used in a path only as one sanitised segment. A file that failed
 * to parse may hold anything – a secret behind a planted link, a terminal
 * escape sequence – and a name read back from results.json may be
 * "../../../../tmp/X".
 */
import { createHash } from 'node:crypto';
import type { ZodError } from 'zod';
import { UsageError } from './usage-error.js';

/** C0/C1 controls, DEL, line/paragraph separators and bidi overrides: what could move a terminal's cursor or reorder the text shown. */
const UNSAFE_CHARS = /[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * A short, quoted excerpt of text read from a file, for an error message: at
 * most `maxChars` characters of it (then "…"), with every control character
 * escaped (\n, \t, \u001b …), backslashes and quotes escaped. A file that
 * failed to parse may be anything – a secret behind a planted link, a
 * terminal escape sequence – so a message shows no more than this.
 */
export function excerpt(text: string, maxChars = 40): string {
  const chars = Array.from(text);
  const cut = chars.length > maxChars;
  const shown = (cut ? chars.slice(0, maxChars) : chars).join('');
  return `"${escapeUnsafe(shown.replace(/[\\"]/g, (c) => `\\${c}`))}${cut ? '…' : ''}"`;
}

/** Control and bidi characters as \n, \t, \u001b …; the rest as is. */
function escapeUnsafe(text: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  return text.replace(UNSAFE_CHARS, (c) => named[c] ?? `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

/**
 * JSON.parse with a message that shows no more of the file than `excerpt`:
 * V8's own message quotes the input raw ("Unexpected token 'r', "root:x:0:0"…"),
 * control characters included.
 * @throws UsageError "<what> <shown> is not valid JSON: Expected ',' or '}' after property value (line 3, column 9: "x": 1 }")"
 */
export function parseJson(text: string, what: string, shown: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const v8 = e instanceof Error ? e.message : String(e);
    // Keep V8's reason, drop its quote of the input.
    const reason = escapeUnsafe(v8.replace(/, ".*$/s, '').replace(/ in JSON at position \d+.*$/s, ''));
    const at = /at position (\d+)/.exec(v8);
    let where: string;
    if (at) {
      const offset = Number(at[1]);
      const before = text.slice(0, offset);
      const rest = text.slice(offset);
      where = `line ${before.split('\n').length}, column ${offset - before.lastIndexOf('\n')}${rest === '' ? ', at the end' : `: ${excerpt(rest)}`}`;
    } else if (/^Unexpected end/.test(v8)) where = 'at the end';
    else where = `the file begins ${excerpt(text.trimStart())}`;
    throw new UsageError(`${what} ${shown} is not valid JSON: ${reason} (${where})`);
  }
}

/** One path segment made from data (branded: only `pathSegment` makes one), safe to join under a directory. */
export type PathSegment = string & { readonly __pathSegment: true };

/** Longest segment `pathSegment` returns: well under NAME_MAX (255 bytes) with room for suffixes. */
const MAX_SEGMENT_CHARS = 80;

/**
 * A name read from a file (a scenario's name in results.json) as one
 * harmless directory name: letters, digits, ".", "_" and "-" only, not
 * starting with "." or "-" (so never "." or ".." or a hidden or option-like
 * name), at most 80 characters. A name that had to change gets the first 8
 * hex digits of its SHA-256 appended, so two different names never share a
 * directory. Names are data: no name can make a path leave its directory,
 * whatever it holds ("../../x", "/etc", "a/b", NUL, 10,000 characters).
 */
export function pathSegment(name: string, fallback = 'unnamed'): PathSegment {
  const cleaned = name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .replace(/[.-]+$/, '')
    .slice(0, MAX_SEGMENT_CHARS);
  if (cleaned === name && name !== '') return name as PathSegment;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${cleaned.slice(0, MAX_SEGMENT_CHARS - 9).replace(/[.-]+$/, '') || fallback}-${hash}` as PathSegment;
}

/** A failed validation's first problem, as messages say it: "field a.b: expected number" (the field left out at the top). */
export function firstIssueText(error: ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.length > 0 ? `field ${issue.path.join('.')}: ` : ''}${issue.message}`;
}
