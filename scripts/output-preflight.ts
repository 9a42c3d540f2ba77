/**
 * What can be checked about --out before anything is simulated. Writing
 * happens after the work; a --out that names a file, a directory the user may
 * not write to, or a foreign results.json there used to fail only then, with
 * every simulation thrown away. writeOutputFiles (output.ts) checks again when
 * it writes – the directory may change in between – so this is an early
 * answer, not the only guard.
 */
import { access, constants, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../experiments/usage-error.js';
import { assertReplaceable, FileSystemError, fsError } from '../experiments/safe-files.js';
import { exists, readManifest } from './output.js';

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

/**
 * Refuses, before the run, an output directory `dir` (relative to `cwd`) that
 * writeOutputFiles would refuse after it: one that is not a directory, one
 * whose nearest existing ancestor cannot be written, or one holding any of
 * `names` that this tool did not write (unless `force`).
 * @throws FileSystemError or UsageError naming the path and the reason.
 */
export async function preflightOutput(cwd: string, dir: string, names: readonly string[], force: boolean): Promise<void> {
  const root = resolve(cwd, dir);
  const here = await statOrNull(root);
  if (here !== null && !here.isDirectory())
    throw new FileSystemError(`--out ${dir} is not a directory (${root} is a file); give a directory – it is created when missing`);
  let at = root;
  let found = here;
  while (found === null && dirname(at) !== at) {
    at = dirname(at);
    found = await statOrNull(at);
  }
  if (found !== null && !found.isDirectory()) throw new FileSystemError(`cannot create --out ${dir}: ${at} is not a directory`);
  try {
    await access(at, constants.W_OK);
  } catch (e) {
    throw fsError('write under', at, e);
  }
  if (here === null) return;
  // Not even --force replaces a directory or a link (safe-files.ts): say so now, not after the run.
  for (const name of names) await assertReplaceable(join(root, name));
  if (force) return;
  const ours = await readManifest(root);
  const foreign: string[] = [];
  for (const name of names) if (!ours.has(name) && (await exists(join(root, name)))) foreign.push(join(root, name));
  if (foreign.length > 0)
    throw new UsageError(`refusing to overwrite ${foreign.join(', ')} (not written by coordgap); pass --force to replace them or choose another --out`);
}
