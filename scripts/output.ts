/**
 * Writing results without losing anything a user owns. Files are written
 * by safe-files.ts's replaceFile (an exclusive temporary file, then rename;
 * never through a link it did not make). An
 * existing file is replaced only when this tool wrote it – the directory's
 * manifest (.coordgap-files.json) lists what it wrote – or with --force.
 * Nothing is ever deleted.
 */
import { lstat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../experiments/usage-error.js';
import { assertReplaceable, ensureDirectory, FileSystemError, readRegularFile, replaceFile } from '../experiments/safe-files.js';

export const MANIFEST = '.coordgap-files.json';

/** Anything at `path`, a dangling link included. */
export async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** The manifest is ours, small: 1 MiB is ~20,000 names. */
const MAX_MANIFEST_BYTES = 1024 * 1024;

/** Names this tool wrote under `root`; none when there is no manifest or it is not one (then nothing there counts as ours). */
export async function readManifest(root: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readRegularFile(join(root, MANIFEST), 'manifest', MAX_MANIFEST_BYTES);
  } catch (e) {
    if (e instanceof FileSystemError && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return new Set();
    throw e;
  }
  try {
    const list: unknown = JSON.parse(text);
    return new Set(Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}

async function atomicWrite(root: string, name: string, content: string | Buffer): Promise<void> {
  const target = join(root, name);
  await ensureDirectory(root, relative(root, dirname(target)));
  await replaceFile(target, content);
}

/**
 * Writes `files` (path relative to `dir` → content) under `dir`. Refuses, before
 * writing anything, when a target exists that this tool did not write (unless
 * `force`) or that no write may replace (a directory, a symbolic link).
 * Returns the absolute paths written.
 * @throws FileSystemError (exit 2) naming the path and the OS's reason when
 *   the file system refuses (ENOSPC, EROFS, EACCES …); no temporary file is left.
 */
export async function writeOutputFiles(cwd: string, dir: string, files: Record<string, string | Buffer>, force: boolean): Promise<string[]> {
  const root = resolve(cwd, dir);
  const names = Object.keys(files);
  for (const name of names)
    if (name.split('/').includes('..') || resolve(root, name) === root || !resolve(root, name).startsWith(root + sep))
      throw new UsageError(`refusing to write ${name} outside ${root}`);
  const ours = await readManifest(root);
  if (!force) {
    const foreign: string[] = [];
    for (const name of names) if (!ours.has(name) && (await exists(join(root, name)))) foreign.push(join(root, name));
    if (foreign.length > 0)
      throw new UsageError(`refusing to overwrite ${foreign.join(', ')} (not written by coordgap); pass --force to replace them or choose another --out`);
  }
  // A target that cannot be replaced (a directory, a link) is refused before anything is written.
  for (const name of names) await assertReplaceable(join(root, name));
  // The manifest claims the names before the files are written: a write that
  // fails half-way (disk full) leaves only files a rerun recognises as its own.
  for (const name of names) ours.add(name);
  await atomicWrite(root, MANIFEST, JSON.stringify([...ours].sort(), null, 2) + '\n');
  for (const name of names) await atomicWrite(root, name, files[name]);
  return names.map((n) => join(root, n));
}
