/** LLM calls and providers: the scenario fragments, the compiled models, token and service-time laws, a provider's shared state. */
export * from './schema.js';
export * from './model.js';
export * from './tokens.js';
export * from './service-time.js';
export * from './token-bucket.js';
export * from './provider-runtime.js';
export * from './compile.js';
export * from './policy.js';
export * from './serving.js';
