/** Lazy suite registry: an isolate imports only the fixture it measures. */
import type { SuiteId } from '../catalog.js';
import type { SuiteSetup } from './types.js';

export type { KernelInstance, SuiteFixture, SuiteSetup } from './types.js';

/** Loads the setup function of a suite. */
export async function loadSuite(suite: SuiteId): Promise<SuiteSetup> {
  if (suite.startsWith('exact-')) return (await import('./exact.js')).setup;
  switch (suite) {
    case 'hnsw-384':
      return (await import('./hnsw.js')).setup;
    case 'bm25':
      return (await import('./bm25.js')).setup;
    case 'tokenize':
      return (await import('./tokenize.js')).setup;
    case 'state':
      return (await import('./state.js')).setup;
    case 'handoff':
      return (await import('./handoff.js')).setup;
    case 'stream':
      return (await import('./stream.js')).setup;
    default:
      throw new Error(`unknown suite ${suite}`);
  }
}
