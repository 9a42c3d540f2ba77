/**
 * Where a warning about an arm belongs in the text a person edits: the file
 * position of the value, `--set` when the value came from the command line,
 * and for a variant the line of its patch when the patch set the value, else
 * the baseline's line the variant inherited it from.
 */
import type { ParsedSource } from './source.js';
import { findWarnings, placeWarnings, type ScenarioWarning, type WarningInput, type WarningLocator } from './warnings.js';

type DataPath = readonly (string | number)[];

const ID_KEYED_LISTS = new Set(['stages', 'fallbacks']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Positions in `src`'s file; a path a `--set` argument set (or lies under) goes to `--set`, as errors do (issues.ts). */
export function sourceLocator(src: ParsedSource): WarningLocator {
  const overrides = src.overrides ?? [];
  return (path) => {
    const o = overrides.findLast((x) => x.path.every((seg, i) => String(seg) === String(path[i])));
    if (o !== undefined) return { file: '--set', line: 1, col: 1, from: o.text };
    return { file: src.file, ...src.locate(path) };
  };
}

/** The id of the element at `index` of list `key` in `data`, if it has one. */
function idAt(data: unknown, prefix: DataPath, index: number): string | undefined {
  let node = data;
  for (const seg of prefix) node = isRecord(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[seg] : undefined;
  const el = Array.isArray(node) ? node[index] : undefined;
  return isRecord(el) && typeof el.id === 'string' ? el.id : undefined;
}

/**
 * The path inside `patch` that set the merged value at `path`, or undefined
 * when the patch left it as the baseline had it. Under `stages` and
 * `fallbacks` a patch may be keyed by id (variants.ts): an index of the
 * merged list is then looked up by the element's id.
 */
function patchPath(patch: unknown, merged: unknown, path: DataPath): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  let node = patch;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const parent = path[i - 1];
    if (typeof seg === 'number' && isRecord(node) && typeof parent === 'string' && ID_KEYED_LISTS.has(parent)) {
      const id = idAt(merged, path.slice(0, i), seg);
      if (id === undefined || !Object.hasOwn(node, id)) return undefined;
      out.push(id);
      node = node[id];
    } else if (Array.isArray(node) && typeof seg === 'number' && seg < node.length) {
      out.push(seg);
      node = node[seg];
    } else if (isRecord(node) && Object.hasOwn(node, String(seg))) {
      out.push(seg);
      node = node[String(seg)];
    } else return undefined;
  }
  return out;
}

/** The merged path with list indices of `stages` / `fallbacks` mapped to the baseline's element of the same id. */
function baselinePath(baseline: unknown, merged: unknown, path: DataPath): (string | number)[] {
  const out: (string | number)[] = [];
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const parent = path[i - 1];
    if (typeof seg === 'number' && typeof parent === 'string' && ID_KEYED_LISTS.has(parent)) {
      const id = idAt(merged, path.slice(0, i), seg);
      let list: unknown = baseline;
      for (const s of out) list = isRecord(list) || Array.isArray(list) ? (list as Record<string | number, unknown>)[s] : undefined;
      const index = Array.isArray(list) ? list.findIndex((el) => isRecord(el) && el.id === id) : -1;
      if (index < 0) return out; // the element is the patch's own: its list is where to look
      out.push(index);
    } else out.push(seg);
  }
  return out;
}

/**
 * Positions for warnings about variant `index` (`merged` is its data, patch
 * applied): in the patch where it set the value, else where the baseline did.
 */
export function variantLocator(src: ParsedSource, index: number, patch: unknown, merged: unknown): WarningLocator {
  const base = sourceLocator(src);
  return (path) => {
    const inPatch = patchPath(patch, merged, path);
    if (inPatch !== undefined) return base(['variants', index, 'patch', ...inPatch]);
    return base(baselinePath(src.data, merged, path));
  };
}

function inFileOrder(ws: ScenarioWarning[]): ScenarioWarning[] {
  const rank = (w: ScenarioWarning) => (w.file === '--set' ? 1 : 0);
  return ws.map((w, i) => ({ w, i })).sort((a, b) => rank(a.w) - rank(b.w) || a.w.line - b.w.line || a.w.col - b.w.col || a.i - b.i).map((x) => x.w);
}

/** One arm as the loader holds it: the data as written, what was compiled from it and with which hardware. */
export type WarnedArm = WarningInput;

/**
 * The warnings of a scenario and then of each variant, each arm's in file
 * order (those from `--set` last, as with errors). A
 * variant's warning that repeats one of the baseline's word for word at the
 * same place (a deadline it inherited) is left out: it is said once.
 */
export function scenarioWarnings(src: ParsedSource, baseline: WarnedArm, variants: readonly (WarnedArm & { name: string; patch: unknown })[] = []): ScenarioWarning[] {
  const own = inFileOrder(placeWarnings(findWarnings(baseline), sourceLocator(src)));
  const key = (w: ScenarioWarning, field: string) => `${w.file}:${w.line}:${w.col}:${w.code}:${field}:${w.message}`;
  const seen = new Set(own.map((w) => key(w, w.path)));
  const out = [...own];
  variants.forEach((v, i) => {
    const label = `variants[${i}] (${v.name})`;
    for (const w of inFileOrder(placeWarnings(findWarnings(v), variantLocator(src, i, v.patch, v.input), label))) {
      if (seen.has(key(w, w.path.slice(label.length + 2)))) continue;
      seen.add(key(w, w.path));
      out.push(w);
    }
  });
  return out;
}
