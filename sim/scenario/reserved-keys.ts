/**
 * Keys no scenario change may write: `__proto__` assigned on a plain object
 * replaces its prototype instead of adding a key, and `constructor` /
 * `prototype` are the other two names prototype-pollution attacks use
 * (https://github.com/advisories?query=prototype+pollution). A patched object
 * with a swapped prototype looks different to the main thread (which reads
 * inherited properties) and to a worker (structured clone drops the
 * prototype), so the two would simulate different scenarios. No scenario field
 * is named like this, so refusing them loses nothing. Shared by `--set`
 * (overrides.ts) and variant patches (variants.ts).
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Why `key` is refused, for a positioned error. */
export function reservedKeyMessage(key: string): string {
  return `"${key}" cannot be set: it is reserved (it would change an object's prototype, not add a field)`;
}
