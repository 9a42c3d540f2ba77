/**
 * The one way coordgap reads a file it is given, and the one way it writes one
 * (what a message may show of a file, and how a name becomes a path part:
 * untrusted-text.ts).
 *
 * Reading (`readRegularFile`): scenarios, traces, hardware configs and
 * profiles, `report --from` results, the manifest and the resume state. Only
 * a regular file, only up to a size limit: a FIFO would block the tool
 * forever and /dev/zero would fill its memory. The file is opened with
 * O_NONBLOCK (opening a FIFO does not wait for a writer), then checked with
 * fstat on that same descriptor (no window between the check and the read),
 * and the read stops one byte past the limit (a file growing, or one whose
 * size stat does not tell, such as those under /proc, cannot slip past).
 *
 * Writing (`replaceFile`): results, reports, the manifest and the resume
 * state.
 *
 * An output directory may be shared (a team's `out/`, a CI workspace), so
 * anyone who can write there could plant links. The writer therefore never
 * follows a link it did not make:
 * - the new content goes to a temporary file in the target's directory,
 *   created exclusively (O_CREAT|O_EXCL, and O_NOFOLLOW) under a name with 96
 *   random bits – a planted file or link at that name makes the open fail
 *   instead of writing through it, and the name cannot be guessed ahead;
 * - the target is looked at with lstat first: a symbolic link, a directory or
 *   anything but a regular file is refused, not replaced;
 * - rename(2) puts the file in place atomically (readers see the old or the
 *   new file, never half of one), and replaces a name, never what it points to;
 * - on any failure the temporary file is removed, and the error names the path
 *   and the OS's reason (FileSystemError, exit 2): a full disk or a read-only
 *   --out is the environment, not a bug in the tool.
 * (Same rules as CERT FIO45-C / CWE-377 "insecure temporary file", and
 * write-file-atomic's temp-then-rename; the exclusive create is what makes it
 * safe in a directory others can write to.)
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { UsageError } from './usage-error.js';

/**
 * The file system refused (no such file, permission, disk full, read-only,
 * not a directory …) or a path is not what the tool may touch. Exit 2 like a
 * usage error: the message says which path and why, and nothing is left half done.
 */
export class FileSystemError extends UsageError {
  /** The OS's error code (ENOENT, EACCES …) when the OS refused; undefined when coordgap did. */
  readonly code: string | undefined;
  constructor(message: string, cause?: unknown) {
    super(message);
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

/** "EACCES (permission denied)" from a Node fs error; the message of anything else. */
export function osReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code === 'string' && /^E[A-Z0-9]+$/.test(err.code)) {
    // Node's messages read "ENOSPC: no space left on device, write"; keep the description.
    const text = /^E[A-Z0-9]+: ([^,]+)/.exec(err.message ?? '')?.[1];
    return text ? `${err.code} (${text})` : err.code;
  }
  return e instanceof Error ? e.message : String(e);
}

/** `cannot write out/results.json: ENOSPC (no space left on device)`, as a FileSystemError (a FileSystemError passes through). */
export function fsError(action: string, path: string, e: unknown): FileSystemError {
  if (e instanceof FileSystemError) return e;
  return new FileSystemError(`cannot ${action} ${path}: ${osReason(e)}`, e);
}

/** Bytes as "1.5 MiB", "64 KiB", "10 bytes". */
function size(bytes: number): string {
  if (bytes >= 1048576) return `${Number((bytes / 1048576).toPrecision(3))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toPrecision(3))} KiB`;
  return `${bytes} bytes`;
}

/**
 * The text of the regular file at `path` (UTF-8), refusing anything else.
 * @param what how messages name the file: "scenario", "hardware config" …
 * @param maxBytes larger files are refused before they are read
 * @param options.hint appended to the too-large message (what to do instead)
 * @param options.shownAs how messages name the file (default: `path`)
 * @throws FileSystemError "cannot read hardware config x.yaml: it is not a regular file (a pipe)",
 *   "… : no such file", "trace t.txt is 12.5 MiB; the limit is 10 MiB"
 */
export async function readRegularFile(path: string, what: string, maxBytes: number, options: { hint?: string; shownAs?: string } = {}): Promise<string> {
  const shown = options.shownAs ?? path;
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    throw new FileSystemError(`cannot read ${what} ${shown}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : osReason(e)}`, e);
  }
  try {
    const s = await handle.stat();
    if (!s.isFile()) throw new FileSystemError(`cannot read ${what} ${shown}: it is not a regular file (${kindOf(s)})`);
    const tooLarge = (bytes?: number) =>
      new FileSystemError(`${what} ${shown} is ${bytes === undefined ? `larger than the limit of ${size(maxBytes)}` : `${size(bytes)}; the limit is ${size(maxBytes)}`}${options.hint ?? ''}`);
    if (s.size > maxBytes) throw tooLarge(s.size);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(s.size - total, 65536), maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw tooLarge();
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (e) {
    throw e instanceof FileSystemError ? e : new FileSystemError(`cannot read ${what} ${shown}: ${osReason(e)}`, e);
  } finally {
    await handle.close().catch(() => {});
  }
}

/**
 * readRegularFile, but null when there is no file at `path` (ENOENT): for
 * files whose absence is a state of its own – a resume state not written
 * yet, a shard's manifest. Every other failure throws as readRegularFile does.
 */
export async function readRegularFileIfPresent(path: string, what: string, maxBytes: number, options: { hint?: string; shownAs?: string } = {}): Promise<string | null> {
  try {
    return await readRegularFile(path, what, maxBytes, options);
  } catch (e) {
    if (e instanceof FileSystemError && e.code === 'ENOENT') return null;
    throw e;
  }
}

/** "a directory", "a pipe" … for messages. */
function kindOf(s: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a pipe (FIFO)';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isSocket()) return 'a socket';
  return 'not a plain file';
}

/** What lstat says about `path`, or null when nothing is there. */
async function lstatOrNull(path: string) {
  try {
    return await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fsError('inspect', path, e);
  }
}

/** Why `replaceFile` will not replace what is at `path` (null: nothing there, or a regular file). */
async function notReplaceable(path: string): Promise<string | null> {
  const s = await lstatOrNull(path);
  if (s === null || s.isFile()) return null;
  if (s.isSymbolicLink()) return 'it is a symbolic link (coordgap never writes through a link it did not make; remove the link or choose another --out)';
  if (s.isDirectory()) return 'EISDIR (it is a directory)';
  return 'it is not a regular file (a device, pipe or socket)';
}

/**
 * Refuses a target no write may replace – a symbolic link, a directory, a
 * device – so a caller writing several files can check them all first.
 * @throws FileSystemError naming `target` and the reason.
 */
export async function assertReplaceable(target: string): Promise<void> {
  const refused = await notReplaceable(target);
  if (refused !== null) throw new FileSystemError(`cannot write ${target}: ${refused}`);
}

/**
 * Writes `content` to `target` through an exclusive temporary file and a
 * rename (see the module comment). The directory must exist.
 * @throws FileSystemError naming `target` and the reason; nothing is left behind.
 */
export async function replaceFile(target: string, content: string | Uint8Array): Promise<void> {
  await assertReplaceable(target);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(12).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  let created = false;
  try {
    handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
    created = true;
    await handle.writeFile(content);
    // On disk before the rename, so a crash leaves the old file or the new one, never an empty one.
    // (A file system without fsync – EINVAL, ENOTSUP – still gets the file.)
    await handle.sync().catch((e: unknown) => {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EINVAL' && code !== 'ENOTSUP') throw e;
    });
    await handle.close();
    handle = undefined;
    await rename(temp, target);
    created = false;
  } catch (e) {
    await handle?.close().catch(() => {});
    if (created) await unlink(temp).catch(() => {});
    throw fsError('write', target, e);
  }
}

/**
 * Makes `root/rel` a directory, creating what is missing. `root` is the
 * user's --out (a link there is their choice); every part below it must be
 * a real directory, never a link, so a planted `charts -> ~/.config` cannot
 * send files elsewhere.
 * @throws FileSystemError naming the path and the reason.
 */
export async function ensureDirectory(root: string, rel = ''): Promise<void> {
  await makeDirectories(root);
  let at = root;
  for (const part of relative(root, join(root, rel)).split(sep).filter((p) => p !== '')) {
    at = join(at, part);
    const s = await lstatOrNull(at);
    if (s === null) {
      try {
        await mkdir(at);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw fsError('create the directory', at, e);
      }
      const again = await lstatOrNull(at);
      if (again === null || !again.isDirectory()) throw new FileSystemError(`cannot write under ${at}: it changed while being created`);
    } else if (s.isSymbolicLink()) throw new FileSystemError(`cannot write under ${at}: it is a symbolic link (coordgap never writes through a link it did not make; remove the link or choose another --out)`);
    else if (!s.isDirectory()) throw new FileSystemError(`cannot write under ${at}: ENOTDIR (it is not a directory)`);
  }
}

/**
 * `mkdir -p` for the user's own path (links followed: they named it), one
 * level at a time. Not `mkdir(…, { recursive: true })`: on Node 20 that never
 * returns for a path under /proc/self whose parent refuses new entries (it
 * retries ENOENT forever).
 */
async function makeDirectories(path: string): Promise<void> {
  const isDirectory = async (p: string): Promise<boolean | null> => {
    try {
      return (await stat(p)).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      throw fsError('use the output directory', p, e);
    }
  };
  const missing: string[] = [];
  let at = resolve(path);
  for (;;) {
    const found = await isDirectory(at);
    if (found === true) break;
    if (found === false) throw new FileSystemError(`cannot use ${at} as a directory: ENOTDIR (it is not a directory)`);
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const dir of missing.reverse()) {
    try {
      await mkdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || (await isDirectory(dir)) !== true) throw fsError('create the directory', dir, e);
    }
  }
}
