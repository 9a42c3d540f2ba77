/**
 * One experiment per --out directory at a time. Two runs sharing a --out
 * used to overwrite each other's resume state (one fixed file, no lock), so
 * one of them could no longer resume. An experiment with --out now holds
 * DIR/.coordgap-lock from before it simulates until its files are written:
 * the lock file is created exclusively (O_EXCL), holding who owns it – pid,
 * host, the process's start time and boot id, the command – so a second run
 * is refused with a message naming the first.
 *
 * A lock whose owner is gone is stale and taken over: same host and boot,
 * and the pid no longer runs or now belongs to a process started later (pid
 * reuse, told apart by the start time in /proc/PID/stat on Linux). A lock from
 * another host (a shared network folder) cannot be checked from here; the
 * message says how to remove it. Creating the lock is also the first real
 * write into --out, so a directory that cannot be written (read-only, /proc,
 * full) fails here, before the work, with the OS's reason.
 *
 * Two processes finding the same stale lock at the same instant could both
 * take it over (the check and the removal are two steps); that needs a crash
 * followed by two runs started within milliseconds, and is accepted.
 */
import { randomBytes } from 'node:crypto';
import { constants, readFileSync } from 'node:fs';
import { open, rmdir, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureDirectory, FileSystemError, fsError, readRegularFile } from '../experiments/safe-files.js';

export const LOCK_FILE = '.coordgap-lock';

interface LockOwner {
  pid: number;
  host: string;
  /** Linux: the process's start time in clock ticks since boot (/proc/PID/stat field 22). */
  startTicks?: number;
  /** Linux: /proc/sys/kernel/random/boot_id – a start time means nothing across a reboot. */
  bootId?: string;
  startedAt: string;
  command: string;
  /** Random: tells this holder's lock from a later one at release. */
  nonce: string;
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Start time of process `pid` in clock ticks since boot (Linux), or undefined. */
function startTicksOf(pid: number): number | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // "pid (comm) state ppid …": comm may hold spaces and parentheses; fields restart after the last ")".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[22 - 3]);
  return Number.isInteger(ticks) ? ticks : undefined;
}

const bootId = (): string | undefined => readProc('/proc/sys/kernel/random/boot_id')?.trim();

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why the lock's owner is known to be gone, or null when it may still run. */
function staleBecause(owner: LockOwner): string | null {
  if (owner.host !== hostname()) return null;
  const boot = bootId();
  if (owner.bootId !== undefined && boot !== undefined && owner.bootId !== boot) return 'the machine restarted since';
  if (!pidRuns(owner.pid)) return `pid ${owner.pid} no longer runs`;
  const ticks = startTicksOf(owner.pid);
  if (owner.startTicks !== undefined && ticks !== undefined && ticks !== owner.startTicks) return `pid ${owner.pid} is now another process`;
  return null;
}

function parseOwner(text: string): LockOwner | null {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    return typeof o.pid === 'number' && Number.isInteger(o.pid) && o.pid > 0 && typeof o.host === 'string' ? (o as LockOwner) : null;
  } catch {
    return null;
  }
}

export interface OutLock {
  /** Removes the lock (if still ours) and the --out directory the claim created, when nothing was written into it. */
  release(): Promise<void>;
  /** Set when a stale lock was taken over: what it said, for a note on stderr. */
  tookOver?: string;
}

/**
 * Takes the lock of output directory `dir` (absolute), creating the directory
 * when missing.
 * @throws FileSystemError when another live run holds it, or when the directory cannot be created or written.
 */
export async function lockOutDir(dir: string): Promise<OutLock> {
  const created = await missingAncestors(dir);
  await ensureDirectory(dir);
  const path = join(dir, LOCK_FILE);
  const me: LockOwner = {
    pid: process.pid,
    host: hostname(),
    ...(startTicksOf(process.pid) !== undefined ? { startTicks: startTicksOf(process.pid) } : {}),
    ...(bootId() !== undefined ? { bootId: bootId() } : {}),
    startedAt: new Date().toISOString(),
    command: ['coordgap', ...process.argv.slice(2)].join(' ').slice(0, 300),
    nonce: randomBytes(12).toString('hex'),
  };
  let tookOver: string | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
      try {
        await handle.writeFile(`${JSON.stringify(me)}\n`);
      } finally {
        await handle.close();
      }
      return { release: () => release(path, me.nonce, created), ...(tookOver !== undefined ? { tookOver } : {}) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        await removeCreated(created);
        throw fsError('use --out', dir, e);
      }
    }
    let owner: LockOwner | null = null;
    try {
      owner = parseOwner(await readRegularFile(path, 'lock', 64 * 1024));
    } catch {
      // Unreadable or not a regular file: not ours to remove.
    }
    const stale = owner === null ? null : staleBecause(owner);
    if (owner === null || stale === null || attempt > 0) {
      await removeCreated(created);
      throw new FileSystemError(
        owner === null
          ? `--out ${dir} is locked by ${path}, which is not a lock coordgap wrote; remove it if no coordgap run uses this directory, or choose another --out`
          : `--out ${dir} is in use by another coordgap run: pid ${owner.pid} on ${owner.host}, started ${owner.startedAt} ("${owner.command}"). ` +
            `Two runs sharing one --out would overwrite each other's resume state: wait for it to finish or choose another --out` +
            (owner.host === hostname() ? '' : `; if that run is gone, remove ${path}`),
      );
    }
    tookOver = `coordgap: took over the lock of --out ${dir} left by pid ${owner.pid} (${stale})`;
    await unlink(path).catch(() => {});
  }
  throw new FileSystemError(`--out ${dir}: could not take the lock ${path}`);
}

async function release(path: string, nonce: string, created: readonly string[]): Promise<void> {
  try {
    if (parseOwner(await readRegularFile(path, 'lock', 64 * 1024))?.nonce === nonce) await unlink(path);
  } catch {
    // Gone already, or replaced: nothing of ours to remove.
  }
  await removeCreated(created);
}

/** The directories from `dir` up that do not exist yet, deepest first (so a refused or empty run leaves none behind). */
async function missingAncestors(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (let at = dir; dirname(at) !== at; at = dirname(at)) {
    try {
      await stat(at);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') break;
      out.push(at);
    }
  }
  return out;
}

/** Removes the directories the claim created, deepest first, while they are empty. */
async function removeCreated(created: readonly string[]): Promise<void> {
  for (const d of created) {
    try {
      await rmdir(d);
    } catch {
      return;
    }
  }
}
