/**
 * The report page's Web Worker: the browser entry of the simulator, bundled
 * by scripts/build-browser.ts into dist/browser/what-if-worker.js and inlined
 * into every HTML report that has a what-if section (reports/what-if.ts).
 * The page posts a WhatIfRequest; the worker answers with the run's result
 * or the message of what refused it. A run is never interrupted from here:
 * the page ends a worker whose answer it no longer wants (terminate) and
 * starts a fresh one, which is the cancellation the browser offers.
 *
 * It lives in experiments/ beside the Piscina worker (sim-worker.ts): this
 * is the layer that runs the simulator for a shell and starts its workers;
 * reports/ only renders and may run no sim code (import-graph.test.ts).
 */
import './jitless.js'; // first: before any zod schema is built (jitless.ts says why)
import { runWhatIf, WhatIfRefused } from './run.js';
import type { WhatIfMessage, WhatIfReply, WhatIfRequest } from './protocol.js';

/** The parts of a DedicatedWorkerGlobalScope used here (the project compiles without the DOM library). */
interface WorkerScope {
  onmessage: ((event: { data: WhatIfRequest }) => void) | null;
  postMessage(message: WhatIfMessage): void;
  addEventListener(type: 'securitypolicyviolation', listener: (event: { violatedDirective: string; blockedURI: string }) => void): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.addEventListener('securitypolicyviolation', (event) => scope.postMessage({ violation: `${event.violatedDirective} refused ${event.blockedURI}` }));

scope.onmessage = (event) => {
  const { id, scenario, sets } = event.data;
  let reply: WhatIfReply;
  try {
    const { meta, ...result } = runWhatIf(scenario, sets);
    void meta;
    reply = { id, ok: true, result };
  } catch (e) {
    const message = e instanceof WhatIfRefused ? e.message : `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
    reply = { id, ok: false, error: message };
  }
  scope.postMessage(reply);
};
