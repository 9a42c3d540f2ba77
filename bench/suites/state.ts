/**
 * Orchestration, ingress and assembly fixture: one ~20 KB agent state, one
 * ~2 KB hand-off payload with its compiled JSON Schema, one signed request.
 */
import { Ajv } from 'ajv';
import { agentState, handoffPayload, handoffSchema } from '../kernels/agent-state.js';
import { assembleResponse } from '../kernels/assembly.js';
import { signRequest, verifyRequest } from '../kernels/ingress.js';
import { childSeed } from '../kernels/prng.js';
import { type NodeName, graphStep } from '../kernels/state-graph.js';
import { paragraph } from '../kernels/text.js';
import { type KernelInstance, type SuiteSetup, pick } from './types.js';

const ROUTE: readonly NodeName[] = ['retrieve', 'analyze', 'tool', 'analyze', 'respond'];

export const setup: SuiteSetup = async (options, kernelIds) => {
  const seed = childSeed(options.seed, 'state');
  const state = agentState(seed);
  const stateBytes = JSON.stringify(state).length;
  const payload = handoffPayload(seed);
  const validate = new Ajv({ allErrors: false }).compile(handoffSchema);
  if (!validate(payload)) throw new Error(`hand-off payload fails its own schema: ${JSON.stringify(validate.errors)}`);
  const secret = Buffer.from(`whsec_${seed.toString(16)}`);
  const request = signRequest(secret, '1735732800', JSON.stringify({ user: 'u-1842', query: paragraph(seed, 900) }));
  let counter = 0;
  const sync = (run: () => number, bytes?: number): KernelInstance => ({ async: false, work: bytes === undefined ? {} : { bytes }, run });
  const available = new Map<string, KernelInstance>([
    ['orchestration.json-state', sync(() => (JSON.parse(JSON.stringify(state)) as typeof state).messages.length, stateBytes)],
    ['orchestration.structured-clone', sync(() => structuredClone(state).messages.length, stateBytes)],
    ['orchestration.ajv-handoff', sync(() => (validate(payload) ? 1 : 0), JSON.stringify(payload).length)],
    [
      'orchestration.state-graph-step',
      sync(() => {
        const { state: next, next: route } = graphStep(state, ROUTE[counter++ % ROUTE.length]);
        return next.step + route.length;
      }),
    ],
    ['ingress.hmac-sha256', sync(() => (verifyRequest(secret, request) ? 1 : 0), request.body.length)],
    ['assembly.template-json', sync(() => assembleResponse(state, `req-${counter++}`).length)],
  ]);
  return { kernels: pick(available, kernelIds, options.suite), dispose: async () => {} };
};
