/**
 * One sanitiser for everything the CLI prints. Seeds, trace lines, a hardware
 * profile's name and any other text read from a file are data: an escape
 * sequence inside one ("\e]0;TITLE\a" sets the window title, "\e[2J" clears
 * the screen, "\r" overwrites the line) must show as text, never act on the
 * terminal. `main` routes stdout and stderr through `sanitisingStream`, so no
 * formatter has to remember to call it (CWE-150; the same rule as git's
 * and less's display of control characters).
 *
 * Every C0 control except "\n" and "\t", DEL, every C1 control (U+0080–U+009F,
 * which some terminals treat as ESC + letter) and the bidirectional overrides
 * and isolates (U+202A–U+202E, U+2066–U+2069: "Trojan Source", CVE-2021-42574)
 * become a visible `\uXXXX`. That spelling is also a valid JSON escape, so a
 * --json document keeps exactly its value: JSON.stringify escapes C0 itself but
 * leaves DEL, C1 and the bidi marks raw.
 *
 * The one escape sequence let through is the program's own colour, and only
 * when colour is on: SGR with the parameters the formatters use (bold, the
 * eight foreground colours and their resets). Those cannot move the cursor,
 * clear anything, hide text or talk to the terminal.
 */
import { Writable } from 'node:stream';

/** ESC [ params m with params from the formatters' palette: 0, 1, 22, 30–37, 39. */
const OWN_SGR = /^\x1b\[(?:0|1|22|3[0-79])?m/;

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

function visible(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

export interface TerminalTextOptions {
  /** Keep the program's own colour sequences (see OWN_SGR); off when colour is off. */
  keepColour: boolean;
}

/** `text` with every control character but "\n" and "\t" shown as `\uXXXX`. */
export function terminalText(text: string, options: TerminalTextOptions = { keepColour: false }): string {
  if (!options.keepColour) return text.replace(UNSAFE, visible);
  let out = '';
  let from = 0;
  for (let i = text.indexOf('\x1b'); i !== -1; i = text.indexOf('\x1b', i + 1)) {
    const own = OWN_SGR.exec(text.slice(i, i + 6));
    if (own === null) continue;
    out += text.slice(from, i).replace(UNSAFE, visible) + own[0];
    from = i + own[0].length;
    i = from - 1;
  }
  return out + text.slice(from).replace(UNSAFE, visible);
}

/**
 * A stream that writes `terminalText(chunk)` to `target`, synchronously and
 * in order (the write callback is called at once), so it interleaves with a
 * progress bar that writes to `target` directly.
 */
export function sanitisingStream(target: NodeJS.WritableStream, options: TerminalTextOptions): Writable {
  return new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      target.write(terminalText(typeof chunk === 'string' ? chunk : chunk.toString('utf8'), options));
      callback();
    },
  });
}
