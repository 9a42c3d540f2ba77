/**
 * The cycles of a directed graph, found as its strongly connected components
 * (Tarjan 1972, "Depth-first search and linear graph algorithms", SIAM J.
 * Comput. 1:146–160): what structure-flow.ts turns into loop nodes.
 */

/**
 * Strongly connected components that hold a cycle (two or more nodes, or one
 * with an edge to itself), each sorted, in order of their smallest member.
 * Tarjan's algorithm, iterative so that thousands of nodes do not overflow
 * the stack; nodes and successors are visited in sorted order.
 */
export function cyclicComponents(nodes: readonly string[], succ: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>(), low = new Map<string, number>();
  const onStack = new Set<string>(), stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  const sortedSucc = (n: string) => [...(succ.get(n) ?? [])].sort();
  for (const root of [...nodes].sort()) {
    if (index.has(root)) continue;
    const work: { node: string; next: string[]; i: number }[] = [];
    const open = (n: string) => {
      index.set(n, counter);
      low.set(n, counter++);
      stack.push(n);
      onStack.add(n);
      work.push({ node: n, next: sortedSucc(n), i: 0 });
    };
    open(root);
    while (work.length > 0) {
      const top = work[work.length - 1];
      if (top.i < top.next.length) {
        const w = top.next[top.i++];
        if (!index.has(w)) open(w);
        else if (onStack.has(w)) low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== top.node);
        if (comp.length > 1 || succ.get(top.node)?.has(top.node)) out.push(comp.sort());
      }
    }
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}
