/**
 * Variants: a named patch on the baseline scenario. Patches follow JSON Merge
 * Patch (RFC 7396) – objects merge, lists and scalars replace, `null` removes
 * a key – with one extension for lists of things that have ids: under
 * `stages` and `fallbacks` a patch may be an object keyed by id, which merges
 * into the matching element instead of replacing the list.
 */

import { RESERVED_KEYS, reservedKeyMessage } from './reserved-keys.js';

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export class PatchError extends Error {
  constructor(
    readonly path: (string | number)[],
    message: string,
  ) {
    super(message);
  }
}

const ID_KEYED_LISTS = new Set(['stages', 'fallbacks']);

/**
 * RFC 7396 merge of `patch` into `target`; returns a new value, inputs
 * untouched. A key in RESERVED_KEYS anywhere in the patch is a PatchError at
 * its path (an assigned `__proto__` would set the prototype, not a field).
 */
export function mergePatch(target: Json, patch: Json, path: (string | number)[] = []): Json {
  if (!isObject(patch)) return structuredClone(patch);
  for (const k of Object.keys(patch)) if (RESERVED_KEYS.has(k)) throw new PatchError([...path, k], reservedKeyMessage(k));
  const key = path[path.length - 1];
  if (Array.isArray(target) && typeof key === 'string' && ID_KEYED_LISTS.has(key)) {
    const out = target.map((x) => structuredClone(x));
    for (const [id, sub] of Object.entries(patch)) {
      const i = out.findIndex((x) => isObject(x) && x.id === id);
      if (i < 0) {
        const ids = out.map((x) => (isObject(x) ? String(x.id) : '?')).join(', ');
        throw new PatchError([...path, id], `no element with id "${id}" to patch; ids: ${ids}`);
      }
      if (sub === null) out.splice(i, 1);
      else out[i] = mergePatch(out[i], sub, [...path, id]);
    }
    return out;
  }
  const out: Record<string, Json> = isObject(target) ? { ...structuredClone(target) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v, [...path, k]);
  }
  return out;
}

/** The baseline input with the variant's patch applied; `variants` itself is dropped. */
export function variantInput(baseline: Record<string, Json>, patch: Record<string, Json>): Record<string, Json> {
  const { variants: _variants, ...base } = baseline;
  return mergePatch(base, patch) as Record<string, Json>;
}
