/**
 * LLM calls and providers, as a run needs them: the compiled models, token
 * and service-time laws, a provider's shared state, GPU serving tables, the
 * feature's descriptor. No zod: the scenario fragments (schema.ts), their
 * checks, compile step and warnings are the scenario layer's to import
 * (sim/scenario), and a worker thread loads none of them.
 */
export * from './model.js';
export * from './tokens.js';
export * from './service-time.js';
export * from './token-bucket.js';
export * from './provider-runtime.js';
export * from './serving.js';
export * from './policy.js';
export type { TokenCountInput, LlmCallInput, ProviderInput, ServingInput } from './schema.js';
