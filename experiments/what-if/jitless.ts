/**
 * zod without code generation, for the browser worker: the report's
 * Content-Security-Policy allows no `eval` or `new Function` (reports/html.ts),
 * and zod 4 compiles an object schema's fast path with `new Function` unless
 * `jitless` is set. zod reads the flag when a schema is *built*
 * (v4/core/schemas.js: `const jit = !globalConfig.jitless` in the object
 * schema's constructor) and probes eval only when it is off (util.js
 * `allowsEval`, which a strict CSP reports as a violation even though the
 * throw is caught). So this module must run before any schema module loads:
 * the worker entry imports it first, and ES modules run in import order.
 * Validation is the same either way; jitless only skips the fast path.
 */
import { z } from 'zod';

z.config({ jitless: true });
