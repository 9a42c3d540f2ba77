/**
 * Which options of a scenario can be combined. A combination is the baseline
 * with its options' patches merged in order (sim/scenario/variants.ts: objects
 * merge, lists and scalars replace, null removes). Two patches combine
 * cleanly when neither writes where the other does – then the order of the
 * merge does not matter and the combination means what both options mean.
 * They conflict when they write the same leaf with different values (two step
 * limits, two hardware configs), or when one replaces or removes a whole
 * value that the other writes inside (`retry: null` against
 * `retry.maxAttempts: 5`): either way the merge order would decide which
 * option is really in the combination, so such combinations are not built.
 *
 * Also here: the combinations of n options that hold no conflicting pair,
 * listed (for an exhaustive search) or counted (to say how many exist).
 */

/** One value a patch writes: its path, and a value that is not an object merged into (a number, a string, a list, null). */
export interface PatchLeaf {
  path: readonly string[];
  value: unknown;
}

/** Two options that cannot be combined, and where their patches collide. */
export interface OptionConflict {
  /** The two options, in the scenario's order. */
  a: string;
  b: string;
  /** The leaf (or the replaced value) both write, dotted: `graph.nodes.react.loop.limit`. */
  path: string;
  /** In words: what each writes there. */
  reason: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Every leaf of a patch, in the patch's key order. An empty object is a leaf
 * too: it writes no value, but it makes an object of what was there (a
 * number merged with `{}` becomes `{}`).
 */
export function patchLeaves(patch: unknown, path: readonly string[] = []): PatchLeaf[] {
  if (!isObject(patch) || Object.keys(patch).length === 0) return [{ path, value: patch }];
  return Object.entries(patch).flatMap(([k, v]) => patchLeaves(v, [...path, k]));
}

/** Structural equality of JSON values (key order aside). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (!isObject(a) || !isObject(b)) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b && sameJson(a[k], b[k]));
}

/** A value as a conflict message shows it: JSON, cut at 40 characters. */
function shown(v: unknown): string {
  const text = v === null ? 'null (removed)' : JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

const isPrefix = (p: readonly string[], q: readonly string[]) => p.length <= q.length && p.every((k, i) => q[i] === k);

/** Where two options' leaves collide, or null when they combine cleanly. */
function collision(a: { name: string; leaves: PatchLeaf[] }, b: { name: string; leaves: PatchLeaf[] }): OptionConflict | null {
  for (const la of a.leaves)
    for (const lb of b.leaves) {
      const path = la.path.join('.');
      if (la.path.length === lb.path.length && isPrefix(la.path, lb.path)) {
        if (sameJson(la.value, lb.value)) continue;
        const what = la.path.length === 1 && la.path[0] === 'hardware' ? 'a hardware config each – one machine at a time' : 'different values';
        return { a: a.name, b: b.name, path, reason: `both set ${path}, to ${what}: ${shown(la.value)} (${a.name}) vs ${shown(lb.value)} (${b.name})` };
      }
      const [outer, inner] = isPrefix(la.path, lb.path) ? [la, lb] : isPrefix(lb.path, la.path) ? [lb, la] : [null, null];
      // An empty object above a leaf merges into the object the other writes in: no collision.
      if (outer === null || inner === null || isObject(outer.value)) continue;
      const [o, i] = outer === la ? [a.name, b.name] : [b.name, a.name];
      const p = outer.path.join('.');
      return {
        a: a.name,
        b: b.name,
        path: p,
        reason: `${o} ${outer.value === null ? 'removes' : 'replaces'} ${p} as a whole (${shown(outer.value)}), inside which ${i} sets ${inner.path.join('.')}`,
      };
    }
  return null;
}

/**
 * Every conflicting pair of options, in the scenario's order (the first
 * colliding leaf of each pair). A `description` is text, not model: two
 * options describing the same node differently still combine (the merge order
 * picks the words), so the collision named is the one that matters – two
 * self-consistency variants differ in their sample counts, not their prose.
 */
export function findConflicts(options: readonly { name: string; patch: unknown }[]): OptionConflict[] {
  const withLeaves = options.map((o) => ({ name: o.name, leaves: patchLeaves(o.patch).filter((l) => l.path[l.path.length - 1] !== 'description') }));
  const out: OptionConflict[] = [];
  for (let i = 0; i < withLeaves.length; i++)
    for (let j = i + 1; j < withLeaves.length; j++) {
      const c = collision(withLeaves[i], withLeaves[j]);
      if (c !== null) out.push(c);
    }
  return out;
}

/** The conflicts as index pairs, a table `conflicts[i][j]` for options 0 … n−1 named `names`. */
export function conflictTable(names: readonly string[], conflicts: readonly OptionConflict[]): boolean[][] {
  const table = names.map(() => names.map(() => false));
  for (const c of conflicts) {
    const i = names.indexOf(c.a);
    const j = names.indexOf(c.b);
    if (i >= 0 && j >= 0) table[i][j] = table[j][i] = true;
  }
  return table;
}

/** Whether option `i` can join the set (no member conflicts with it, and it is not in it yet). */
export function canJoin(set: readonly number[], i: number, conflicts: readonly (readonly boolean[])[]): boolean {
  return !set.includes(i) && set.every((j) => !conflicts[i][j]);
}

/** The largest option count listed exhaustively: 2¹⁰ − 1 = 1,023 combinations. */
export const MAX_EXHAUSTIVE_OPTIONS = 10;

/**
 * Every non-empty combination of n options with no conflicting pair, each as
 * its option indices ascending; smaller sets first, then in lexicographic
 * order – the same list on every run.
 * @throws RangeError above MAX_EXHAUSTIVE_OPTIONS options (that many subsets is not a list to simulate).
 */
export function compatibleSubsets(n: number, conflicts: readonly (readonly boolean[])[]): number[][] {
  if (n > MAX_EXHAUSTIVE_OPTIONS) throw new RangeError(`${n} options have up to ${2 ** n - 1} combinations; list at most ${MAX_EXHAUSTIVE_OPTIONS} options`);
  const out: number[][] = [];
  for (let mask = 1; mask < 1 << n; mask++) {
    const set: number[] = [];
    for (let i = 0; i < n; i++) if (mask & (1 << i)) set.push(i);
    if (set.every((i, k) => set.slice(k + 1).every((j) => !conflicts[i][j]))) out.push(set);
  }
  return out.sort((x, y) => x.length - y.length || compareSets(x, y));
}

/** Lexicographic order of two index lists. */
export function compareSets(x: readonly number[], y: readonly number[]): number {
  for (let k = 0; k < Math.min(x.length, y.length); k++) if (x[k] !== y[k]) return x[k] - y[k];
  return x.length - y.length;
}

/**
 * How many non-empty combinations of n options hold no conflicting pair: the
 * independent sets of the conflict graph, less the empty one. Counted by
 * splitting into connected components (their counts multiply; a component
 * without conflicts has 2^size) and branching on a vertex of most conflicts,
 * I(G) = I(G − v) + I(G − v − its neighbours) – exponential only in the
 * conflicts, which are few; 200 options without any count 2²⁰⁰ − 1 at once.
 */
export function countCompatibleSubsets(n: number, conflicts: readonly (readonly boolean[])[]): number {
  const count = (vertices: readonly number[]): number => {
    if (vertices.length === 0) return 1;
    const inSet = new Set(vertices);
    const seen = new Set<number>();
    let product = 1;
    for (const start of vertices) {
      if (seen.has(start)) continue;
      const component: number[] = [];
      const stack = [start];
      seen.add(start);
      while (stack.length > 0) {
        const v = stack.pop()!;
        component.push(v);
        for (const w of inSet) if (!seen.has(w) && conflicts[v][w]) (seen.add(w), stack.push(w));
      }
      const degree = (v: number) => component.filter((w) => conflicts[v][w]).length;
      const v = component.reduce((best, x) => (degree(x) > degree(best) ? x : best));
      if (degree(v) === 0) product *= 2 ** component.length;
      else product *= count(component.filter((x) => x !== v)) + count(component.filter((x) => x !== v && !conflicts[v][x]));
    }
    return product;
  };
  return count(Array.from({ length: n }, (_, i) => i)) - 1;
}
