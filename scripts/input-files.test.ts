/**
 * Every file the tool is given is read by one reader: regular files only, up
 * to a size limit (issue 12.18). Real FIFOs (mkfifo), real devices, real
 * sparse files in a temp dir: a FIFO used to block the tool forever, and
 * /dev/zero to fill its memory (~0.6 GB before it gave up).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenarioFile } from '../experiments/load-scenario.js';
import { loadCheckpoint, STATE_FILE } from '../experiments/checkpoint.js';
import { readRegularFile, FileSystemError } from '../experiments/safe-files.js';
import { runCli, tinyScenario, tempDir } from './test-support.js';
import { fintechComparison } from '../reports/fixtures/load.js';
import { ScenarioError } from '../sim/scenario/index.js';

const SCENARIO = tinyScenario;

const dir = () => tempDir('coordgap-inputs-');

function fifo(path: string): string {
  execFileSync('mkfifo', [path]);
  return path;
}

/** The message of what `p` rejects with (a ScenarioError's first issue, else the error's message). */
async function refusal(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (e instanceof ScenarioError) return `${e.issues[0].file}:${e.issues[0].line}:${e.issues[0].col} ${e.issues[0].message}`;
  if (e instanceof Error) return e.message;
  throw new Error('expected a refusal; the promise resolved');
}

describe('one reader for every input file', () => {
  it('a hardware config that is a FIFO is refused at once, pointing at the config', async () => {
    const d = dir();
    writeFileSync(join(d, 's.yaml'), SCENARIO('hardware: hw.yaml'));
    fifo(join(d, 'hw.yaml'));
    expect(await refusal(loadScenarioFile('s.yaml', d))).toBe(`hw.yaml:1:1 cannot read hardware config ${join(d, 'hw.yaml')}: it is not a regular file (a pipe (FIFO))`);
  });

  it('a hardware profile that is a FIFO, or larger than the limit, is refused', async () => {
    const d = dir();
    writeFileSync(join(d, 's.yaml'), SCENARIO('hardware: hw.yaml'));
    writeFileSync(join(d, 'hw.yaml'), 'name: hw\npools:\n  cpu: { servers: 2 }\nprofile: p.json\n');
    fifo(join(d, 'p.json'));
    expect(await refusal(loadScenarioFile('s.yaml', d))).toMatch(/^hw\.yaml:1:1 cannot read hardware profile .*p\.json: it is not a regular file \(a pipe \(FIFO\)\)$/);
    const big = dir();
    writeFileSync(join(big, 's.yaml'), SCENARIO('hardware: hw.yaml'));
    writeFileSync(join(big, 'hw.yaml'), 'name: hw\npools:\n  cpu: { servers: 2 }\nprofile: p.json\n');
    writeFileSync(join(big, 'p.json'), '');
    truncateSync(join(big, 'p.json'), 17 * 1024 * 1024); // sparse: no disk used
    expect(await refusal(loadScenarioFile('s.yaml', big))).toMatch(/^hw\.yaml:1:1 hardware profile .*p\.json is 17 MiB; the limit is 16 MiB$/);
  });

  it('a hardware config larger than 1 MiB is refused before it is read', async () => {
    const d = dir();
    writeFileSync(join(d, 's.yaml'), SCENARIO('hardware: hw.yaml'));
    writeFileSync(join(d, 'hw.yaml'), '');
    truncateSync(join(d, 'hw.yaml'), 3 * 1024 * 1024);
    expect(await refusal(loadScenarioFile('s.yaml', d))).toMatch(/hardware config .*hw\.yaml is 3 MiB; the limit is 1 MiB$/);
  });

  it('report --from a FIFO or a device: exit 2 with the reason', async () => {
    const d = dir();
    fifo(join(d, 'results.json'));
    for (const from of [join(d, 'results.json'), '/dev/zero']) {
      const r = await runCli(['report', '--from', from, '--out', join(d, 'out')], d);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`coordgap: cannot read results ${from}: it is not a regular file (${from === '/dev/zero' ? 'a device' : 'a pipe (FIFO)'})\n`);
    }
  });

  it('report --profile a FIFO: exit 2 with the reason', async () => {
    const d = dir();
    writeFileSync(join(d, 'results.json'), JSON.stringify(fintechComparison()));
    fifo(join(d, 'p.json'));
    const r = await runCli(['report', '--from', 'results.json', '--profile', 'p.json', '--out', 'out'], d);
    expect(r.stderr).toBe('coordgap: cannot read hardware profile p.json: it is not a regular file (a pipe (FIFO))\n');
    expect(r.code).toBe(2);
  });

  it('a resume state that is a FIFO is refused (and left where it is)', async () => {
    const d = dir();
    fifo(join(d, STATE_FILE));
    expect(await refusal(loadCheckpoint(join(d, STATE_FILE), []))).toBe(`cannot read resume state ${join(d, STATE_FILE)}: it is not a regular file (a pipe (FIFO))`);
  });

  it('a file that grows past the limit while read, or whose size stat does not tell (/proc), is cut off at the limit', async () => {
    // /proc/self/maps is a regular file with st_size 0 and a few KB of content.
    const e = await readRegularFile('/proc/self/maps', 'test file', 64).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FileSystemError);
    expect((e as Error).message).toBe('test file /proc/self/maps is larger than the limit of 64 bytes');
    expect((await readRegularFile('/proc/self/maps', 'test file', 1024 * 1024)).length).toBeGreaterThan(64);
  });
});
