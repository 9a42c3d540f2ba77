/**
 * `--set a.b.c=value`: command-line changes to parsed scenario data, applied
 * before validation so an override is checked exactly like the file.
 */
import { ScenarioError, parseSource, type AppliedOverride, type ParsedSource } from './source.js';

export type { AppliedOverride };
import { withGuess } from './issues.js';
import { describeValue, didYouMean } from './units.js';
import { RESERVED_KEYS, reservedKeyMessage } from './reserved-keys.js';

/** One `--set path=value` as applied: `path` with list elements resolved to indices. */


/**
 * Applies `path=value` arguments in order (a later one wins) and returns a new
 * source; `src` and its data are left as they were. The result remembers each
 * override's resolved path, so validateSource reports a bad value given here
 * against `--set`, quoting the argument, rather than at the file text it
 * replaced. Throws a ScenarioError at `--set` for an argument without `=` and
 * for everything setOverride refuses.
 */
export function applyOverrides(src: ParsedSource, sets: readonly string[]): ParsedSource {
  const data = unshared(src.data);
  const overrides = [...(src.overrides ?? [])];
  for (const text of sets) {
    const eq = text.indexOf('=');
    if (eq <= 0) refuse('', `expected path=value such as stages.retrieval.faults.error=0.1; got "${text}"`);
    overrides.push({ path: setAt(data, text.slice(0, eq), text.slice(eq + 1)), text });
  }
  return { file: src.file, data, locate: src.locate, overrides };
}

/**
 * Applies one `--set a.b.c=value` to plain scenario data, in place, and
 * returns the data (containers along the path are replaced by copies). `valueText` is read as YAML, so `0.1`, `true`, `2s` and
 * `[a, b]` mean what they would in the file. A list element is addressed by
 * index (`stages.2`) or by its `id` / `name` (`stages.retrieval`). A key the
 * file leaves out is added – a mapping on the way (`stages.0.hedge.delay=1s`
 * on a stage without `hedge`), the value at the end – and validation then
 * checks it, with a suggestion for a misspelt key; a near miss of a key that
 * is there is refused at once as a likely typo. Errors are reported against the pseudo-file `--set`. Prefer
 * applyOverrides, whose validation errors also point at `--set`.
 */
export function setOverride(data: unknown, dottedPath: string, valueText: string): unknown {
  setAt(data, dottedPath, valueText);
  return data;
}

function refuse(path: string, message: string): never {
  throw new ScenarioError([{ file: '--set', line: 1, col: 1, path, message }]);
}

/**
 * setOverride's work; returns the path it set, with list elements as
 * indices – or, when it created mappings on the way, the path down to the
 * first of them, so that an issue anywhere inside (an unknown key there) is
 * reported against this argument, not the file.
 */
function setAt(data: unknown, dottedPath: string, valueText: string): (string | number)[] {
  const fail = (message: string): never => refuse(dottedPath, message);
  const segments = dottedPath.split('.');
  if (segments.some((s) => s === '')) fail('expected a dotted path such as stages.retrieval.faults.error');
  const value = parseSource(valueText, '--set').data;
  const resolved: (string | number)[] = [];
  /** Length of the path down to the first mapping this argument created, or −1: everything below it is the argument's. */
  let createdTo = -1;
  let node = data;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const last = i === segments.length - 1;
    const where = segments.slice(0, i).join('.') || 'the scenario';
    if (RESERVED_KEYS.has(seg)) fail(reservedKeyMessage(seg));
    if (Array.isArray(node)) {
      const list: unknown[] = node;
      const byIndex = /^\d+$/.test(seg);
      const names = list.map((el) => (isRecord(el) ? el.id ?? el.name : undefined)).filter((n): n is string => typeof n === 'string');
      const index = byIndex ? Number(seg) : list.findIndex((el) => isRecord(el) && (el.id === seg || el.name === seg));
      if (index < 0 || index >= list.length) {
        if (byIndex) fail(`index ${seg} is out of range; ${where} has ${list.length} elements`);
        fail(withGuess(`${where} has no element with id or name "${seg}"`, seg, names, `have: ${names.join(', ') || 'no named elements'}`));
      }
      resolved.push(index);
      if (last) list[index] = value;
      else node = list[index] = unshared(list[index]);
    } else if (isRecord(node)) {
      resolved.push(seg);
      if (last) node[seg] = value;
      else if (Object.hasOwn(node, seg)) node = node[seg] = unshared(node[seg]);
      else {
        // A key the file leaves out – an optional policy such as `hedge` –
        // starts as an empty mapping, as Helm's --set does; the schema then
        // checks the result, positioned at this argument. A near miss of a
        // key that is there is more likely a typo, and is refused here.
        if (didYouMean(seg, Object.keys(node)) !== undefined) fail(withGuess(`${where} has no key "${seg}"`, seg, Object.keys(node)));
        if (createdTo < 0) createdTo = resolved.length;
        node = node[seg] = {};
      }
    } else {
      fail(`${where} is ${describeValue(node)}, not a mapping or a list, so "${segments.slice(i).join('.')}" cannot be set inside it`);
    }
  }
  return createdTo < 0 ? resolved : resolved.slice(0, createdTo);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A shallow copy of a container. yaml's toJS gives every use of an alias the
 * same object, so without copying the path, `--set stages.0.x` would also
 * change a `stages[1]` that came from the same `*anchor`.
 */
function unshared(v: unknown): unknown {
  return Array.isArray(v) ? [...v] : isRecord(v) ? { ...v } : v;
}
