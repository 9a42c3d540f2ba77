/**
 * Files a scenario names stay in its folder on real paths, and a file that
 * fails to parse is shown only as a short escaped excerpt (issue 12.5). Real
 * symbolic links in a temp dir; /etc/passwd is the file a link points at.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenarioFile, parseTrace } from '../experiments/load-scenario.js';
import { excerpt, parseJson } from '../experiments/untrusted-text.js';
import { runCli, tinyScenario, tempDir } from './test-support.js';
import { ScenarioError } from '../sim/scenario/index.js';

const SCENARIO = tinyScenario;

const dir = () => tempDir('coordgap-named-');

async function message(p: Promise<unknown>): Promise<string> {
  const e = await p.then(() => null, (x: unknown) => x);
  if (e instanceof ScenarioError) return e.issues.map((i) => `${i.file}:${i.line}:${i.col} ${i.message}`).join('\n');
  if (e instanceof Error) return e.message;
  throw new Error('expected a refusal; the promise resolved');
}

describe('links in the scenario folder cannot reach outside it', () => {
  it('a trace file that is a link to /etc/passwd is refused before it is read; nothing of it is shown', async () => {
    const d = dir();
    writeFileSync(join(d, 's.yaml'), SCENARIO('', '{ kind: trace, file: t.txt }'));
    symlinkSync('/etc/passwd', join(d, 't.txt'));
    const m = await message(loadScenarioFile('s.yaml', d));
    expect(m).toBe(`trace file "t.txt" resolves to /etc/passwd, which is outside the scenario's directory (${d}); scenario files may only name files beside them – pass --allow-outside to allow it`);
    expect(m).not.toContain('root:');
  });

  it('a hardware config that is a link to /etc/passwd is refused the same way', async () => {
    const d = dir();
    writeFileSync(join(d, 's.yaml'), SCENARIO('hardware: hw.yaml'));
    symlinkSync('/etc/passwd', join(d, 'hw.yaml'));
    const r = await runCli(['validate', 's.yaml'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`coordgap: hardware config "hw.yaml" resolves to /etc/passwd, which is outside the scenario's directory (${d}); scenario files may only name files beside them – pass --allow-outside to allow it\n`);
  });

  it('a folder inside that is a link to one outside is outside too (and a profile named through it)', async () => {
    const d = dir();
    const outside = dir();
    writeFileSync(join(outside, 'hw.yaml'), 'name: hw\npools:\n  cpu: { servers: 2 }\n');
    writeFileSync(join(outside, 'p.json'), '{}');
    mkdirSync(join(d, 'scn'));
    symlinkSync(outside, join(d, 'scn', 'hw'));
    writeFileSync(join(d, 'scn', 's.yaml'), SCENARIO('hardware: hw/hw.yaml'));
    expect(await message(loadScenarioFile('scn/s.yaml', d))).toMatch(/^hardware config "hw\/hw\.yaml" resolves to .*hw\.yaml, which is outside the scenario's directory/);
    // A config inside whose profile is a link out.
    writeFileSync(join(d, 'scn', 'in.yaml'), 'name: hw\npools:\n  cpu: { servers: 2 }\nprofile: p.json\n');
    symlinkSync(join(outside, 'p.json'), join(d, 'scn', 'p.json'));
    writeFileSync(join(d, 'scn', 's2.yaml'), SCENARIO('hardware: in.yaml'));
    expect(await message(loadScenarioFile('scn/s2.yaml', d))).toMatch(/^hardware profile "p\.json" resolves to .*p\.json, which is outside the scenario's directory/);
  });

  it('links that stay inside are followed, a scenario folder reached through a link is fine, and --allow-outside allows the rest', async () => {
    const d = dir();
    mkdirSync(join(d, 'real'));
    mkdirSync(join(d, 'real', 'traces'));
    writeFileSync(join(d, 'real', 'traces', 'a.txt'), '0\n5\n10\n');
    symlinkSync(join(d, 'real', 'traces', 'a.txt'), join(d, 'real', 't.txt'));
    writeFileSync(join(d, 'real', 's.yaml'), SCENARIO('', '{ kind: trace, file: t.txt }'));
    symlinkSync(join(d, 'real'), join(d, 'via-link'));
    expect((await loadScenarioFile('via-link/s.yaml', d)).traceTimestampsMs).toEqual([0, 5, 10]);
    const outside = dir();
    writeFileSync(join(outside, 'a.txt'), '1\n2\n');
    symlinkSync(join(outside, 'a.txt'), join(d, 'real', 'out.txt'));
    writeFileSync(join(d, 'real', 's2.yaml'), SCENARIO('', '{ kind: trace, file: out.txt }'));
    expect((await loadScenarioFile('real/s2.yaml', d, [], { allowOutside: true })).traceTimestampsMs).toEqual([1, 2]);
  });
});

describe('a file that fails to parse is shown as a short escaped excerpt', () => {
  it('a bad trace line: at most 40 characters, control characters escaped', () => {
    const line = `\u001b]0;pwned\u0007\u001b[2J${'9'.repeat(60)}`;
    const e = (() => {
      try {
        parseTrace(`1\n${line}\n`, 't.txt');
      } catch (x) {
        return x as ScenarioError;
      }
      throw new Error('expected a refusal');
    })();
    expect(e.issues[0].message).toBe(`expected an arrival time in ms: a decimal number such as 12 or 3.5, from 0 to 1e12 ms (about 32 years); got "\\u001b]0;pwned\\u0007\\u001b[2J${'9'.repeat(26)}…"`);
    expect(e.issues[0].message).not.toMatch(/\p{Cc}/u);
  });

  it('excerpt: quotes, backslashes, C1 controls and bidi overrides escaped; short text whole', () => {
    expect(excerpt('ok')).toBe('"ok"');
    expect(excerpt('a"b\\c\td\u009b\u202e')).toBe('"a\\"b\\\\c\\td\\u009b\\u202e"');
    expect(excerpt('x'.repeat(41))).toBe(`"${'x'.repeat(40)}…"`);
  });

  it('JSON that fails to parse: V8\'s quote of the input is replaced by a position and a short escaped excerpt', () => {
    const msg = (text: string) => {
      try {
        parseJson(text, 'results', 'r.json');
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('parsed');
    };
    const passwd = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n';
    expect(msg(passwd)).toBe(`results r.json is not valid JSON: Unexpected token 'r' (the file begins "root:x:0:0:root:/root:/bin/bash\\ndaemon:x…")`);
    expect(msg('{\n  "a": 1,\n  "b" 2 }')).toBe(`results r.json is not valid JSON: Unexpected number (line 3, column 7: "2 }")`);
    expect(msg('{"a": "\u001b]0;X\u0007"}')).toBe('results r.json is not valid JSON: Bad control character in string literal (line 1, column 8: "\\u001b]0;X\\u0007\\"}")');
    expect(msg('[1, 2')).toBe(`results r.json is not valid JSON: Expected ',' or ']' after array element (line 1, column 6, at the end)`);
  });

  it('report --from a file that is not JSON: exit 2, the excerpt only', async () => {
    const d = dir();
    writeFileSync(join(d, 'r.json'), `secret-token-${'x'.repeat(100)}\nline two\n`);
    const r = await runCli(['report', '--from', 'r.json', '--out', 'o'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`coordgap: results r.json is not valid JSON: Unexpected token 's' (the file begins "secret-token-${'x'.repeat(27)}…")\n`);
  });
});
