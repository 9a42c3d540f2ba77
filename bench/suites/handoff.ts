/**
 * Hand-off fixture: a one-thread Piscina pool started from inside the
 * measuring isolate; one call sends the ~2 KB hand-off payload to the worker's
 * `echo` handler and awaits it back (two structured clones, two thread hops).
 */
import { Piscina } from 'piscina';
import { compiledModuleUrl } from '../compiled-path.js';
import { type HandoffPayload, handoffPayload } from '../kernels/agent-state.js';
import { childSeed } from '../kernels/prng.js';
import { type KernelInstance, type SuiteSetup, pick } from './types.js';

export const setup: SuiteSetup = async (options, kernelIds) => {
  const payload = handoffPayload(childSeed(options.seed, 'handoff'));
  const pool = new Piscina<HandoffPayload, HandoffPayload>({
    filename: compiledModuleUrl(import.meta.url, '../worker.js').href,
    name: 'echo',
    minThreads: 1,
    maxThreads: 1,
  });
  await pool.run(payload); // the worker is up and the handler loaded before timing starts
  const kernel: KernelInstance = {
    async: true,
    work: { bytes: JSON.stringify(payload).length },
    run: async () => (await pool.run(payload)).attempt,
  };
  return { kernels: pick(new Map([['handoff.piscina-roundtrip', kernel]]), kernelIds, options.suite), dispose: () => pool.destroy() };
};
