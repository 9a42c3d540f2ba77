/** Public surface of sim/scenario/. The scenario language: parsing with positions, the schema, overrides, variants, warnings, and compilation into a model. */
export * from './compile.js';
export * from './hardware-schema.js';
export * from './issues.js';
export * from './layers.js';
export * from './overrides.js';
export * from './pools.js';
export * from './reserved-keys.js';
export * from './schema-checks.js';
export * from './schema-dist.js';
export * from './schema.js';
export * from './source.js';
export * from './units.js';
export * from './variants.js';
export * from './warning-locate.js';
export * from './warnings-policies.js';
export * from './warnings.js';
