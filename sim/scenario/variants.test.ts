import { describe, expect, it } from 'vitest';
import { mergePatch, PatchError } from './variants.js';
import { parseSource } from './index.js';
import { variantSchema } from './schema.js';

/** A patch as the YAML parser gives it: "__proto__" is an own key there, not the prototype. */
const yamlPatch = (text: string) => parseSource(text, 'p.yaml').data;

function patchError(f: () => unknown): PatchError {
  try {
    f();
  } catch (e) {
    if (e instanceof PatchError) return e;
    throw e;
  }
  throw new Error('expected a PatchError');
}

describe('mergePatch refuses prototype keys (issue 12.17)', () => {
  it('a nested "__proto__" is a PatchError at its path, and nothing gets a new prototype', () => {
    const base = { stages: [{ id: 'a', faults: { error: 0.1 } }] };
    const patch = yamlPatch('stages:\n  a:\n    __proto__:\n      faults: { error: 0.9 }\n');
    const e = patchError(() => mergePatch(base, patch));
    expect(e.path).toEqual(['stages', 'a', '__proto__']);
    expect(e.message).toMatch(/"__proto__" cannot be set: it is reserved/);
    expect(Object.getPrototypeOf(base.stages[0])).toBe(Object.prototype);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('"%s" at any depth is refused', (key) => {
    expect(patchError(() => mergePatch({ a: { b: 1 } }, yamlPatch(`a:\n  ${key}:\n    b: 2\n`))).path).toEqual(['a', key]);
    expect(patchError(() => mergePatch({}, yamlPatch(`${key}: {}\n`))).path).toEqual([key]);
  });

  it('ordinary keys still merge (RFC 7396)', () => {
    expect(mergePatch({ a: { b: 1, c: 2 } }, { a: { b: null, d: 3 } })).toEqual({ a: { c: 2, d: 3 } });
  });
});

describe('the variant schema refuses a top-level prototype key that zod would drop silently', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('patch.%s', (key) => {
    const r = variantSchema.safeParse(yamlPatch(`name: v\nkind: coordination\npatch:\n  ${key}:\n    requests: 10\n`));
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path, i.message])).toEqual([[['patch', key], expect.stringMatching(/reserved/)]]);
  });
});
