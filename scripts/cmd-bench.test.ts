import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { benchMain } from './cmd-bench.js';
import { fixtureProfile } from '../bench/profile-fixture.js';
import { parseProfile } from '../bench/profile.js';

function capture() {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: new Writable({ write: (chunk, _enc, done) => ((stdout += String(chunk)), done()) }),
    stderr: new Writable({ write: (chunk, _enc, done) => ((stderr += String(chunk)), done()) }),
    isTTY: false,
  };
  return { io, out: () => stdout, err: () => stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'coordgap-bench-cli-'));

describe('bench compare (CLI)', () => {
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  writeFileSync(a, JSON.stringify(fixtureProfile('box-a', { 'retrieval.bm25': [2, 2, 2] })));
  writeFileSync(b, JSON.stringify(fixtureProfile('box-b', { 'retrieval.bm25': [1, 1, 1] })));

  it('prints hyperfine-style lines, Markdown or JSON', async () => {
    const text = capture();
    expect(await benchMain(['bench', 'compare', a, b], text.io)).toBe(0);
    expect(text.out()).toContain("'box-b' ran 2.00 ± 0.00 times faster than 'box-a'");
    const md = capture();
    expect(await benchMain(['compare', a, b, '--markdown'], md.io)).toBe(0);
    expect(md.out()).toMatch(/^\| kernel \| box-a \(A\) \| box-b \(B\) \|/);
    const json = capture();
    expect(await benchMain(['bench', 'compare', a, b, '--json'], json.io)).toBe(0);
    expect(JSON.parse(json.out()).kernels[0].speedup).toBe(2);
  });

  it('exits 2 naming the file and field of an invalid profile', async () => {
    const broken = join(dir, 'broken.json');
    const profile = JSON.parse(readFileSync(a, 'utf8'));
    profile.kernels['retrieval.bm25'].runs = [];
    writeFileSync(broken, JSON.stringify(profile));
    const run = capture();
    expect(await benchMain(['bench', 'compare', a, broken], run.io)).toBe(2);
    expect(run.err()).toBe(`error: ${broken}: invalid hardware profile: field kernels["retrieval.bm25"].runs: Too small: expected array to have >=1 items\n`);
  });

  it('exits 2 on missing files, bad JSON and missing arguments', async () => {
    const missing = capture();
    expect(await benchMain(['bench', 'compare', a, join(dir, 'nope.json')], missing.io)).toBe(2);
    expect(missing.err()).toMatch(/nope\.json: cannot read hardware profile \(ENOENT\)/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{');
    const badJson = capture();
    expect(await benchMain(['bench', 'compare', bad, a], badJson.io)).toBe(2);
    expect(badJson.err()).toMatch(/bad\.json: not valid JSON/);
    expect(await benchMain(['bench', 'compare', a], capture().io)).toBe(2);
  });
});

describe('bench (CLI usage errors)', () => {
  it('exits 2 on bad flags, unknown kernels and an existing --out', async () => {
    expect(await benchMain(['bench', '--threads', 'zero'], capture().io)).toBe(2);
    expect(await benchMain(['bench', '--bogus'], capture().io)).toBe(2);
    const unknown = capture();
    expect(await benchMain(['bench', '--kernels', 'retrieval.faiss'], unknown.io)).toBe(2);
    expect(unknown.err()).toMatch(/unknown kernel "retrieval\.faiss"; known kernel ids: /);
    const existing = join(dir, 'exists.json');
    writeFileSync(existing, '{}');
    const clash = capture();
    expect(await benchMain(['bench', '--quick', '--out', existing], clash.io)).toBe(2);
    expect(clash.err()).toContain('already exists; pass --force to overwrite it');
    const link = join(dir, 'link.json');
    symlinkSync(existing, link);
    const linked = capture();
    expect(await benchMain(['bench', '--quick', '--force', '--out', link], linked.io)).toBe(2);
    expect(linked.err()).toBe(`error: cannot write ${link}: it is a symbolic link (coordgap never writes through a link it did not make; remove the link or choose another --out)\n`);
    expect(readFileSync(existing, 'utf8')).toBe('{}');
  });

  it('prints help with exit 0', async () => {
    const help = capture();
    expect(await benchMain(['bench', '--help'], help.io)).toBe(0);
    expect(help.out()).toContain('--quick');
  });
});

describe('bench --quick end to end', () => {
  it('writes a valid profile and prints it with --json', async () => {
    const file = join(dir, 'quick.json');
    const run = capture();
    const code = await benchMain(['bench', '--quick', '--json', '--out', file], run.io);
    expect(run.err()).toMatch(/expected about/);
    expect(code).toBe(0);
    const written = readFileSync(file, 'utf8');
    expect(run.out()).toBe(written); // stdout holds exactly the profile
    const profile = parseProfile(JSON.parse(written), file);
    expect(profile.method.mode).toBe('quick');
    const measured = Object.keys(profile.kernels).length + profile.skipped.length;
    expect(measured).toBe(19);
    for (const kernel of Object.values(profile.kernels)) expect(kernel.runs).toHaveLength(3);
    expect(profile.kernels['memory.stream-read'].derived.gbPerSec).toBeGreaterThan(0);
    expect(profile.scaling[0].points.map((p) => p.threads)[0]).toBe(1);
    expect(profile.server?.points.length).toBe(3);
  });
});
