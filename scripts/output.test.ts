/**
 * Writing into a shared --out: what others planted there is never written
 * through (issue 12.2). Real files and real symbolic links in a temp dir.
 */
import { describe, expect, it } from 'vitest';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOutputFiles, MANIFEST } from './output.js';
import { saveCheckpoint, STATE_FILE } from '../experiments/checkpoint.js';
import { replaceFile, FileSystemError } from '../experiments/safe-files.js';
import type { SimTask } from '../experiments/sim-task.js';

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'coordgap-links-'));
  const out = join(root, 'out');
  mkdirSync(out);
  const victim = join(root, 'victim.txt');
  writeFileSync(victim, 'precious\n');
  return { root, out, victim };
}

describe('replaceFile never writes through a link it did not make', () => {
  it('a link planted at the old predictable temp name (results.json.<pid>.tmp) is left alone; results.json is a regular file', async () => {
    const { out, victim } = setup();
    symlinkSync(victim, join(out, `results.json.${process.pid}.tmp`));
    await writeOutputFiles(out, '.', { 'results.json': '{"ok":true}\n' }, false);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(join(out, 'results.json')).isFile()).toBe(true);
    expect(readFileSync(join(out, 'results.json'), 'utf8')).toBe('{"ok":true}\n');
    // Nothing of ours left behind: only the planted link, the results and the manifest.
    expect(readdirSync(out).sort()).toEqual([MANIFEST, 'results.json', `results.json.${process.pid}.tmp`].sort());
  });

  it('the manifest and the resume state are written the same way', async () => {
    const { out, victim } = setup();
    symlinkSync(victim, join(out, `${MANIFEST}.${process.pid}.tmp`));
    symlinkSync(victim, join(out, `${STATE_FILE}.${process.pid}.tmp`));
    await writeOutputFiles(out, '.', { 'results.csv': 'a\r\n' }, false);
    const model = { digest: '0'.repeat(64), data: {} };
    const tasks: SimTask[] = [0, 1].map((replication) => ({ label: 'baseline', model, replication, maxEvents: 1000, maxInFlight: 10 }));
    await saveCheckpoint(join(out, STATE_FILE), tasks, new Map());
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(join(out, MANIFEST)).isFile()).toBe(true);
    expect(lstatSync(join(out, STATE_FILE)).isFile()).toBe(true);
  });

  it('a target that is a link is refused, not replaced, even one the manifest lists and even with --force', async () => {
    const { out, victim } = setup();
    writeFileSync(join(out, MANIFEST), JSON.stringify(['results.json']));
    symlinkSync(victim, join(out, 'results.json'));
    for (const force of [false, true]) {
      const e = await writeOutputFiles(out, '.', { 'results.json': 'x' }, force).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(FileSystemError);
      expect((e as Error).message).toBe(`cannot write ${join(out, 'results.json')}: it is a symbolic link (coordgap never writes through a link it did not make; remove the link or choose another --out)`);
    }
    expect(lstatSync(join(out, 'results.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });

  it('a subdirectory planted as a link (charts -> elsewhere) is refused', async () => {
    const { root, out } = setup();
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(out, 'charts'));
    const e = await writeOutputFiles(out, '.', { 'charts/a.svg': '<svg/>' }, true).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/cannot write under .*charts: it is a symbolic link/);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('an --out that is itself a link to a directory is the user\'s choice and is used', async () => {
    const { root, out } = setup();
    const link = join(root, 'out-link');
    symlinkSync(out, link);
    await writeOutputFiles(root, 'out-link', { 'charts/a.svg': '<svg/>' }, false);
    expect(readFileSync(join(out, 'charts', 'a.svg'), 'utf8')).toBe('<svg/>');
  });

  it('repeated writes leave no temporary file behind', async () => {
    const { out } = setup();
    for (let i = 0; i < 3; i++) await replaceFile(join(out, 'f.txt'), String(i));
    expect(readdirSync(out)).toEqual(['f.txt']);
    expect(readFileSync(join(out, 'f.txt'), 'utf8')).toBe('2');
  });
});
