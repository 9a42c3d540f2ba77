/**
 * The contract between a suite's fixture and the worker: each kernel is a
 * callable that returns a number the worker folds into a checksum.
 */
import type { FixtureOptions, KernelWork } from '../protocol.js';

/** A ready-to-time kernel. */
export interface KernelInstance {
  /** One call. The returned number is consumed, so the work cannot be eliminated. */
  readonly run: () => number | Promise<number>;
  readonly async: boolean;
  /** Untimed preparation before every call (forces one call per sample). */
  readonly beforeEach?: () => void;
  readonly work: KernelWork;
  readonly quality?: Readonly<Record<string, number>>;
}

/** A built fixture: its kernels and how to release it. */
export interface SuiteFixture {
  readonly kernels: ReadonlyMap<string, KernelInstance>;
  dispose(): Promise<void>;
}

/** Builds the fixture for the requested kernels of one suite. */
export type SuiteSetup = (options: FixtureOptions, kernelIds: readonly string[]) => Promise<SuiteFixture>;

/** Throws when a kernel id does not belong to the suite. */
export function pick<T>(available: ReadonlyMap<string, T>, kernelIds: readonly string[], suite: string): Map<string, T> {
  const out = new Map<string, T>();
  for (const id of kernelIds) {
    const kernel = available.get(id);
    if (!kernel) throw new Error(`kernel ${id} is not part of suite ${suite} (it has ${[...available.keys()].join(', ')})`);
    out.set(id, kernel);
  }
  return out;
}
