/**
 * Writing results without losing anything a user owns: files are written
 * atomically (temp file in the same directory, then rename), and an existing
 * file is replaced only with --force.
 */
import { mkdir, rename, writeFile, access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from './load-scenario.js';

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Writes `files` (name → content) under `dir`, refusing to overwrite without `force`. */
export async function writeOutputFiles(cwd: string, dir: string, files: Record<string, string>, force: boolean): Promise<string[]> {
  const root = resolve(cwd, dir);
  await mkdir(root, { recursive: true });
  const targets = Object.keys(files).map((name) => join(root, name));
  if (!force) {
    const existing: string[] = [];
    for (const t of targets) if (await exists(t)) existing.push(t);
    if (existing.length > 0)
      throw new UsageError(`refusing to overwrite ${existing.join(', ')}; pass --force to replace them or choose another --out`);
  }
  for (const [name, content] of Object.entries(files)) {
    const target = join(root, name);
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, content);
    await rename(temp, target);
  }
  return targets;
}
