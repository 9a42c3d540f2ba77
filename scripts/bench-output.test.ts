import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputExistsError, defaultProfilePath, writeFileAtomic } from './bench-output.js';

describe('profile output', () => {
  it('names the default file after host and UTC time', () => {
    expect(defaultProfilePath('My Host.local', new Date(Date.UTC(2025, 0, 2, 3, 4, 5)))).toBe('out/bench/profile-my-host.local-20250102-030405.json');
  });

  it('writes atomically, creating folders, and never overwrites without force', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-out-'));
    const file = join(dir, 'nested', 'p.json');
    writeFileAtomic(file, 'one', false);
    expect(readFileSync(file, 'utf8')).toBe('one');
    expect(() => writeFileAtomic(file, 'two', false)).toThrow(OutputExistsError);
    expect(readFileSync(file, 'utf8')).toBe('one');
    writeFileAtomic(file, 'three', true);
    expect(readFileSync(file, 'utf8')).toBe('three');
    expect(readdirSync(join(dir, 'nested'))).toEqual(['p.json']); // no temp files left behind
  });

  it('leaves an existing file alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coordgap-out-'));
    const file = join(dir, 'p.json');
    writeFileSync(file, 'mine');
    expect(() => writeFileAtomic(file, 'theirs', false)).toThrow(/already exists; pass --force/);
    expect(existsSync(file) && readFileSync(file, 'utf8')).toBe('mine');
  });
});
