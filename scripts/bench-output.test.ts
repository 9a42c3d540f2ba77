import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OutputExistsError, defaultProfilePath, writeFileAtomic } from './bench-output.js';

describe('profile output', () => {
  it('names the default file after host and UTC time', () => {
    expect(defaultProfilePath('My Host.local', new Date(Date.UTC(2025, 0, 2, 3, 4, 5)))).toBe('out/bench/profile-my-host.local-20250102-030405.json');
  });

  it('writes atomically, creating folders, and never overwrites without force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-out-'));
    const file = join(dir, 'nested', 'p.json');
    await writeFileAtomic(file, 'one', false);
    expect(readFileSync(file, 'utf8')).toBe('one');
    await expect(writeFileAtomic(file, 'two', false)).rejects.toThrow(OutputExistsError);
    expect(readFileSync(file, 'utf8')).toBe('one');
    await writeFileAtomic(file, 'three', true);
    expect(readFileSync(file, 'utf8')).toBe('three');
    expect(readdirSync(join(dir, 'nested'))).toEqual(['p.json']); // no temp files left behind
  });

  it('leaves an existing file alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-out-'));
    const file = join(dir, 'p.json');
    writeFileSync(file, 'mine');
    await expect(writeFileAtomic(file, 'theirs', false)).rejects.toThrow(/already exists; pass --force/);
    expect(existsSync(file) && readFileSync(file, 'utf8')).toBe('mine');
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  // Issue 12 item 2: the temporary file was `${path}.${pid}.${Date.now()}.tmp`, written with
  // writeFileSync – anyone who can write the folder could plant a link at that name and have
  // the profile written through it (and the link renamed into place).
  it('does not follow a link planted at a predictable temporary name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-out-'));
    const outside = join(mkdtempSync(join(tmpdir(), 'coordgap-victim-')), 'victim.txt');
    writeFileSync(outside, 'keep me');
    const file = join(dir, 'p.json');
    const now = 1_700_000_000_000;
    vi.spyOn(Date, 'now').mockReturnValue(now);
    for (let t = now - 5; t <= now + 5; t++) symlinkSync(outside, `${file}.${process.pid}.${t}.tmp`);
    await writeFileAtomic(file, 'profile', false);
    expect(readFileSync(outside, 'utf8')).toBe('keep me');
    expect(lstatSync(file).isFile()).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('profile');
    expect(readdirSync(dir).filter((n) => !n.endsWith('.tmp'))).toEqual(['p.json']); // only the planted links beside it
  });

  it('refuses a link at the profile path itself, with or without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-out-'));
    const outside = join(mkdtempSync(join(tmpdir(), 'coordgap-victim-')), 'victim.txt');
    writeFileSync(outside, 'keep me');
    const file = join(dir, 'p.json');
    symlinkSync(outside, file);
    await expect(writeFileAtomic(file, 'profile', false)).rejects.toThrow(OutputExistsError);
    await expect(writeFileAtomic(file, 'profile', true)).rejects.toThrow(/is a symbolic link/);
    const dangling = join(dir, 'dangling.json');
    symlinkSync(join(dir, 'nowhere.json'), dangling);
    await expect(writeFileAtomic(dangling, 'profile', false)).rejects.toThrow(OutputExistsError);
    expect(readFileSync(outside, 'utf8')).toBe('keep me');
    expect(lstatSync(file).isSymbolicLink() && lstatSync(dangling).isSymbolicLink()).toBe(true);
    expect(existsSync(join(dir, 'nowhere.json'))).toBe(false);
  });
});
