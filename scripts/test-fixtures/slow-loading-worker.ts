/**
 * The failing worker behind a module that loads as slowly as a test wants.
 * With COORDGAP_LOAD_GATE naming a directory, each worker thread writes
 * `loading-<threadId>` there while it loads this module, then waits until a
 * file named `open` appears before it finishes loading and writes
 * `loaded-<threadId>`. A worker ended while loading leaves a `loading-` file
 * without its `loaded-` twin.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';
export { default } from './failing-worker.js';

const gate = process.env.COORDGAP_LOAD_GATE;
if (gate !== undefined && !isMainThread) {
  writeFileSync(join(gate, `loading-${threadId}`), '');
  const nap = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(join(gate, 'open'))) Atomics.wait(nap, 0, 0, 10);
  writeFileSync(join(gate, `loaded-${threadId}`), '');
}
