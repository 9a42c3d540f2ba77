import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compatibleSubsets, conflictTable, countCompatibleSubsets, findConflicts, patchLeaves } from './portfolio-conflicts.js';
import { mergePatch } from '../scenario/variants.js';
import { sameJson } from './portfolio-conflicts.js';

const option = (name: string, patch: Record<string, unknown>) => ({ name, patch });

describe('findConflicts', () => {
  it("finds react-agent's two step limits (the same leaf, 25 vs 10) and lets the typed tools and the faster planner combine", () => {
    const limit25 = option('limit-25', { graph: { nodes: { react: { loop: { limit: 25 } } } } });
    const limit10 = option('limit-10', { graph: { nodes: { react: { loop: { limit: 10 } } } } });
    const typed = option('typed-tools', { protocol: { kind: 'mcp', toolMismatch: 0.01, mcpFactor: 0.2 }, handoffs: { strict: true }, stages: { plan: { validate: { catchRate: 0.9, latency: '5ms' } } } });
    const faster = option('faster-inference', { stages: { plan: { latency: { dist: 'lognormal', median: '1.4s', p99: '5.6s' } } } });
    const conflicts = findConflicts([limit25, limit10, typed, faster]);
    expect(conflicts).toEqual([
      { a: 'limit-25', b: 'limit-10', path: 'graph.nodes.react.loop.limit', reason: 'both set graph.nodes.react.loop.limit, to different values: 25 (limit-25) vs 10 (limit-10)' },
    ]);
  });

  it("names map-reduce-rag's two self-consistency variants by their sample counts, not their descriptions (text combines)", () => {
    const vote = (n: number, words: string) => ({ graph: { nodes: { vote: { description: words, map: { items: n, body: ['answer'], join: 'vote' } } }, next: { docs: 'vote' } } });
    const conflicts = findConflicts([option('self-consistency-3', vote(3, 'Three answer samples')), option('self-consistency-5', vote(5, 'Five answer samples'))]);
    expect(conflicts.map((c) => c.path)).toEqual(['graph.nodes.vote.map.items']);
    expect(findConflicts([option('a', { stages: { x: { description: 'one' } } }), option('b', { stages: { x: { description: 'two' } } })])).toEqual([]);
  });

  it('lets two options write the same value at the same leaf (a list compared as a whole)', () => {
    const a = option('a', { stages: { x: { retry: { retryOn: ['error', 'caught'] } } } });
    const b = option('b', { stages: { x: { retry: { retryOn: ['error', 'caught'] }, validate: { catchRate: 0.9 } } } });
    expect(findConflicts([a, b])).toEqual([]);
    const c = option('c', { stages: { x: { retry: { retryOn: ['error'] } } } });
    expect(findConflicts([a, c])[0].path).toBe('stages.x.retry.retryOn');
  });

  it('refuses two hardware configs, and a value one option replaces or removes while the other writes inside it', () => {
    expect(findConflicts([option('small', { hardware: 'hw/a.yaml' }), option('big', { hardware: 'hw/b.yaml' })])[0].reason).toBe(
      'both set hardware, to a hardware config each – one machine at a time: "hw/a.yaml" (small) vs "hw/b.yaml" (big)',
    );
    const removes = findConflicts([option('no-retry', { stages: { x: { retry: null } } }), option('more', { stages: { x: { retry: { maxAttempts: 5 } } } })]);
    expect(removes[0]).toMatchObject({ path: 'stages.x.retry', reason: 'no-retry removes stages.x.retry as a whole (null (removed)), inside which more sets stages.x.retry.maxAttempts' });
    // A list of stages replaces the list that the other patches by id.
    expect(findConflicts([option('by-id', { stages: { x: { faults: { error: 0 } } } }), option('list', { stages: [{ id: 'x' }] })])[0].reason).toMatch(
      /^list replaces stages as a whole/,
    );
  });

  it('is sound: two patches without a conflict merge to the same scenario in either order', () => {
    const key = fc.constantFrom('a', 'b', 'c');
    const leaf = fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constant(null), fc.array(fc.integer({ min: 0, max: 1 }), { maxLength: 2 }));
    const patch = fc.letrec<{ node: unknown }>((tie) => ({ node: fc.oneof({ depthSize: 'small' }, leaf, fc.dictionary(key, tie('node'), { maxKeys: 3 })) })).node.filter(
      (p) => p !== null && typeof p === 'object' && !Array.isArray(p),
    );
    const base = fc.dictionary(key, fc.oneof(leaf, fc.dictionary(key, leaf, { maxKeys: 3 })), { maxKeys: 3 });
    fc.assert(
      fc.property(base, patch, patch, (b, p, q) => {
        if (findConflicts([option('p', p as Record<string, unknown>), option('q', q as Record<string, unknown>)]).length > 0) return;
        expect(sameJson(mergePatch(mergePatch(b, p), q), mergePatch(mergePatch(b, q), p))).toBe(true);
      }),
      { seed: 17, numRuns: 2000 },
    );
  });

  it('lists the leaves a patch writes, an empty object among them (it makes an object of a number)', () => {
    expect(patchLeaves({ a: { b: 1, c: [1, 2] }, d: null, e: {} })).toEqual([
      { path: ['a', 'b'], value: 1 },
      { path: ['a', 'c'], value: [1, 2] },
      { path: ['d'], value: null },
      { path: ['e'], value: {} },
    ]);
    // Found by the property above: { c: 0 } then { c: {} } leaves an object, the other order 0.
    expect(findConflicts([option('p', { c: 0 }), option('q', { c: {} })])).toHaveLength(1);
    expect(findConflicts([option('p', { c: { x: 1 } }), option('q', { c: {} })])).toEqual([]);
  });
});

describe('combinations without a conflicting pair', () => {
  const table = (n: number, pairs: [number, number][]) => {
    const names = Array.from({ length: n }, (_, i) => `o${i}`);
    return conflictTable(names, pairs.map(([i, j]) => ({ a: names[i], b: names[j], path: '', reason: '' })));
  };

  it('counts them: 2ⁿ − 1 without conflicts, fewer by the sets holding a pair', () => {
    expect(countCompatibleSubsets(3, table(3, []))).toBe(7);
    // {0,1} and {0,1,2} hold the pair: 7 − 2.
    expect(countCompatibleSubsets(3, table(3, [[0, 1]]))).toBe(5);
    // A path 0–1–2–3 has F(6) = 8 independent sets, the empty one among them.
    expect(countCompatibleSubsets(4, table(4, [[0, 1], [1, 2], [2, 3]]))).toBe(7);
    // A triangle and a free option: (1 + 3) × 2 − 1.
    expect(countCompatibleSubsets(4, table(4, [[0, 1], [1, 2], [0, 2]]))).toBe(7);
    expect(countCompatibleSubsets(200, table(200, []))).toBe(2 ** 200);
  });

  it('lists them smallest first, and as many as it counts', () => {
    expect(compatibleSubsets(3, table(3, [[0, 1]]))).toEqual([[0], [1], [2], [0, 2], [1, 2]]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.tuple(fc.nat(7), fc.nat(7)), { maxLength: 10 }), (n, raw) => {
        const pairs = raw.map(([i, j]) => [i % n, j % n] as [number, number]).filter(([i, j]) => i !== j);
        const t = table(n, pairs);
        const list = compatibleSubsets(n, t);
        expect(list.length).toBe(countCompatibleSubsets(n, t));
        for (const s of list) for (const [i, j] of pairs) expect(s.includes(i) && s.includes(j)).toBe(false);
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});
