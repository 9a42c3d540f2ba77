import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { terminalText } from './terminal-text.js';
import { runCli } from './test-support.js';
import { PACKAGE_ROOT } from '../experiments/version.js';

/** Any byte that makes a terminal act rather than print: C0 but \n and \t, DEL, C1, bidi overrides. */
const ACTIVE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('terminalText', () => {
  it('shows control characters as \\uXXXX and keeps newlines, tabs and ordinary text', () => {
    expect(terminalText('a\x1b]0;TITLE\x07\x1b[2J\rb\x9b31m\u202ec\n\td é')).toBe(
      'a\\u001b]0;TITLE\\u0007\\u001b[2J\\u000db\\u009b31m\\u202ec\n\td é',
    );
  });

  it('keeps only the colour sequences the formatters use, and only when colour is on', () => {
    const own = '\x1b[1mbold\x1b[22m \x1b[33m!\x1b[39m';
    expect(terminalText(own, { keepColour: true })).toBe(own);
    expect(terminalText(own, { keepColour: false })).toBe('\\u001b[1mbold\\u001b[22m \\u001b[33m!\\u001b[39m');
    // Cursor moves, conceal (SGR 8), title and clear-screen are never the program's own.
    expect(terminalText('\x1b[8mhidden\x1b[2J\x1b[1;1H\x1b]0;T\x07', { keepColour: true })).toBe(
      '\\u001b[8mhidden\\u001b[2J\\u001b[1;1H\\u001b]0;T\\u0007',
    );
  });

  it('a sanitised JSON document parses to the same value (the escape is a JSON escape)', () => {
    const value = { name: 'x\x7f\x9b\u202ey' };
    expect(JSON.parse(terminalText(JSON.stringify(value)))).toEqual(value);
  });
});

describe('hostile text reaches the terminal inert (issue 12.10)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coordgap-tty-'));
  const yaml = readFileSync(join(PACKAGE_ROOT, 'scenarios', 'six-step-97.yaml'), 'utf8').replace(
    /^seed:.*$/m,
    'seed: "\\e]0;TITLE\\a\\e[2J\\r\\u2714 all thresholds passed\\u202e"',
  );
  const file = join(dir, 'hostile.yaml');
  writeFileSync(file, yaml.includes('\\e]0;TITLE') ? yaml : `${yaml}\nseed: "\\e]0;TITLE\\a\\e[2J\\r\\u2714 all thresholds passed\\u202e"\n`);

  it('a seed with a title, clear-screen and carriage return prints as text in the summary', async () => {
    const r = await runCli(['run', file, '--requests', '500'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('seed \\u001b]0;TITLE\\u0007\\u001b[2J\\u000d✔ all thresholds passed\\u202e');
    expect(r.stdout).not.toMatch(ACTIVE);
    expect(r.stderr).not.toMatch(ACTIVE);
  });

  it('--json keeps the seed exactly (the document parses back to it)', async () => {
    const r = await runCli(['run', file, '--requests', '500', '--json'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(ACTIVE);
    expect(JSON.parse(r.stdout).seed).toBe('\x1b]0;TITLE\x07\x1b[2J\r✔ all thresholds passed\u202e');
  });

  it('an error message echoing user text is inert too', async () => {
    const r = await runCli(['run', file, '--set', 'stages.\x1b[2Jnope=1'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('\\u001b[2J');
    expect(r.stderr).not.toMatch(ACTIVE);
  });
});
