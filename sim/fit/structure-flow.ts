/**
 * The flow of one level of the request path, inferred from the visit
 * sequences the traces show: which node starts it, which follows which and
 * how often (routing shares with Wilson intervals), and the agent loops –
 * every cycle among the nodes – with their bodies and iteration counts.
 *
 * Loops: the scenario language allows no cycle outside a loop node, so every
 * strongly connected set of nodes (Tarjan 1972, "Depth-first search and linear
 * graph algorithms", SIAM J. Comput. 1:146–160) that holds a cycle becomes one
 * loop. A maximal stretch of consecutive visits inside the set is one run of
 * the loop; its entry is the node runs most often begin with; an iteration
 * starts at each visit of the entry. The iterations are sequences that hold
 * the entry once, at their start, so the body's own flow – inferred the same
 * way – holds no cycle through the entry, and a nested loop is found in it by
 * recursion on a strictly smaller set of nodes.
 */
import { meanInterval, wilson, type Estimate } from '../metrics/intervals.js';
import { cyclicComponents } from './cycles.js';
import { productLimitCounts, type CensoredCount } from './censored-counts.js';

/** The word that ends a flow, as `next:` writes it (scenario/graph-context.ts END_NODE). */
export const FLOW_END_ID = 'end';

/** How often a value was seen: attempts per visit, iterations per run, items per fan-out. */
export interface CountEntry {
  value: number;
  count: number;
}

/** One visit of a node: its id, and whether it ended in an error (its last attempt, or one of its items, failed). */
export interface FlowVisit {
  node: string;
  failed: boolean;
}

/** A request's visits at one level, in order; `failed`: the request ended in failure at the last one. */
export interface FlowSequence {
  visits: FlowVisit[];
  failed: boolean;
}

/** An observed hand-off: how often `from` was followed by `to` (or the flow's end), and its share of from's successors. */
export interface InferredEdge {
  from: string;
  to: string;
  count: number;
  /** Of `count`, the visits of `from` that had failed and yet were followed by `to` (an error the agent observed, an onFailure route). */
  afterError: number;
  /** count / (every counted successor of from), with its Wilson 95 % interval. */
  share: number;
  ci95: [number, number];
}

export interface InferredFlow {
  /** The node most sequences start with (ties: the smaller id). */
  start: string;
  /** Every first node seen, with how many sequences started there. */
  starts: { node: string; count: number }[];
  /** The nodes of this flow (stages and composites), sorted. */
  nodes: string[];
  /** Sorted by from, then to. */
  edges: InferredEdge[];
  /**
   * Visits that ended the request by failing: no successor is counted for
   * them (the simulator ends a failed request by its faults, not by a route),
   * so they are left out of the shares.
   */
  failedExits: { node: string; count: number }[];
}

export interface InferredLoop {
  id: string;
  /** The node each iteration starts with. */
  entry: string;
  /** Runs of the loop (entries of the loop node) seen. */
  runs: number;
  /** Runs that ended by leaving the loop; censored runs ended the request in failure inside it. */
  completedRuns: number;
  censoredRuns: number;
  /**
   * Good iterations per completed run: an iteration whose error the agent
   * observed is not one – the engine spends it on top of the count the
   * scenario's `iterations:` draws (path/composites.ts).
   */
  iterations: CountEntry[];
  /**
   * P(a run stops after exactly n iterations), for every n some run stopped
   * at: the product-limit estimate over every run (censored-counts.ts), so
   * runs a failure cut short count for as long as they went on.
   */
  iterationShares: { value: number; share: number }[];
  /**
   * What the runs that outlasted every finished run tell: their probability
   * (`share`, from the product-limit estimate), how many there were and the
   * longest of them. Null when no run went on past the longest finished one.
   */
  outlasted: { share: number; runs: number; longestIterations: number } | null;
  /**
   * A step limit the traces show: runs that ended the request after a
   * successful last step, all at the same count – the longest any run went.
   * Null when there is none.
   */
  limit: number | null;
  /** Mean iterations per completed run, Student-t 95 % interval. */
  meanIterations: Estimate;
  /** Most iterations any run took, observed failures included (what a step limit counts). */
  maxIterations: number;
  /**
   * Geometric stop probability per iteration with its Wilson 95 % interval:
   * stops / decisions, where a completed run of n good iterations made n − 1
   * decisions to go on and one to stop, a run a failure ended n − 1 to go on
   * (its last iteration failed before deciding) and a run a limit cut n – the
   * maximum-likelihood estimate of a geometric count under right censoring.
   */
  stop: Estimate;
  /**
   * Completed runs whose last iteration stopped before the body's usual end
   * (a ReAct agent's final plan call answers without calling a tool). The
   * scenario's loop runs whole iterations; the body's route to `end` from
   * that node carries these partial iterations on average.
   */
  lastIterationEndsEarly: number;
  /** Runs entered at another node than the entry (counted as one extra iteration; their first partial iteration is left out of the body). */
  enteredElsewhere: number;
  /**
   * Share of the failed visits inside the loop that the agent observed and
   * went on from (the loop's `observeErrors`): failed visits followed by
   * another visit or iteration, over those plus the runs a failure ended (a
   * run a limit cut had no failure to observe);
   * Wilson 95 % interval. NaN when no visit in the loop failed.
   */
  observeErrors: Estimate;
  /** The body: a flow over the iterations. */
  body: InferredFlow;
}

/** Makes a fresh id from a base (unique among every id handed out). */
export type IdAllocator = (base: string) => string;

/** Sorted entries of a count map. */
export function countEntries(m: Map<number, number>): CountEntry[] {
  return [...m].sort((a, b) => a[0] - b[0]).map(([value, count]) => ({ value, count }));
}

function bump<K>(m: Map<K, number>, k: K, by = 1): void {
  m.set(k, (m.get(k) ?? 0) + by);
}

/** The most frequent key; ties go to the smaller key (deterministic). */
function mostCommon(m: Map<string, number>): string {
  let best = '', bestCount = -1;
  for (const [k, c] of [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) if (c > bestCount) [best, bestCount] = [k, c];
  return best;
}

interface Run {
  visits: FlowVisit[];
  failed: boolean;
}

/**
 * Infers one level's flow from its sequences; every loop found (nested ones
 * included) is appended to `loops`. Sequences with no visits are ignored.
 */
export function inferFlow(sequences: readonly FlowSequence[], newId: IdAllocator, loops: InferredLoop[]): InferredFlow {
  const seqs = sequences.filter((s) => s.visits.length > 0);
  const succ = new Map<string, Set<string>>();
  const nodes = new Set<string>();
  for (const s of seqs)
    s.visits.forEach((v, i) => {
      nodes.add(v.node);
      if (i + 1 < s.visits.length) {
        if (!succ.has(v.node)) succ.set(v.node, new Set());
        succ.get(v.node)!.add(s.visits[i + 1].node);
      }
    });
  const components = cyclicComponents([...nodes], succ);
  const componentOf = new Map<string, number>();
  components.forEach((c, ci) => c.forEach((n) => componentOf.set(n, ci)));

  // Cut each sequence into its stretches: single visits, and runs of a loop.
  const runs: Run[][] = components.map(() => []);
  const cut = seqs.map((s) => {
    const parts: (FlowVisit | { component: number; run: Run })[] = [];
    for (let i = 0; i < s.visits.length; ) {
      const c = componentOf.get(s.visits[i].node);
      if (c === undefined) {
        parts.push(s.visits[i++]);
        continue;
      }
      let j = i;
      while (j < s.visits.length && componentOf.get(s.visits[j].node) === c) j++;
      const run = { visits: s.visits.slice(i, j), failed: j === s.visits.length && s.failed };
      runs[c].push(run);
      parts.push({ component: c, run });
      i = j;
    }
    return { parts, failed: s.failed };
  });

  const loopIds = components.map((_, ci) => {
    const firsts = new Map<string, number>();
    for (const r of runs[ci]) bump(firsts, r.visits[0].node);
    const entry = mostCommon(firsts);
    const id = newId(`${entry}-loop`);
    loops.push(inferLoop(id, entry, runs[ci], newId, loops));
    return id;
  });

  const rewritten: FlowSequence[] = cut.map(({ parts, failed }) => ({
    failed,
    visits: parts.map((p) => ('component' in p ? { node: loopIds[p.component], failed: p.run.visits[p.run.visits.length - 1].failed } : p)),
  }));
  return flowOf(rewritten);
}

/** Start, edges and shares of sequences in which no node repeats. */
function flowOf(seqs: readonly FlowSequence[]): InferredFlow {
  const starts = new Map<string, number>();
  const edgeCount = new Map<string, Map<string, { count: number; afterError: number }>>();
  const failedExits = new Map<string, number>();
  const nodes = new Set<string>();
  for (const s of seqs) {
    bump(starts, s.visits[0].node);
    s.visits.forEach((v, i) => {
      nodes.add(v.node);
      const last = i + 1 === s.visits.length;
      if (last && s.failed) return bump(failedExits, v.node);
      const to = last ? FLOW_END_ID : s.visits[i + 1].node;
      if (!edgeCount.has(v.node)) edgeCount.set(v.node, new Map());
      const e = edgeCount.get(v.node)!.get(to) ?? { count: 0, afterError: 0 };
      e.count++;
      if (v.failed) e.afterError++;
      edgeCount.get(v.node)!.set(to, e);
    });
  }
  const edges: InferredEdge[] = [];
  for (const from of [...edgeCount.keys()].sort()) {
    const out = edgeCount.get(from)!;
    const total = [...out.values()].reduce((a, e) => a + e.count, 0);
    for (const to of [...out.keys()].sort()) {
      const { count, afterError } = out.get(to)!;
      const w = wilson(count, total);
      edges.push({ from, to, count, afterError, share: w.estimate, ci95: w.ci95 });
    }
  }
  const byCount = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([node, count]) => ({ node, count }));
  return { start: mostCommon(starts), starts: byCount(starts), nodes: [...nodes].sort(), edges, failedExits: byCount(failedExits) };
}

function inferLoop(id: string, entry: string, runs: readonly Run[], newId: IdAllocator, loops: InferredLoop[]): InferredLoop {
  const iterationSeqs: FlowSequence[] = [];
  const completed = new Map<number, number>();
  const completedCounts: number[] = [];
  const lastOfCompleted: string[] = [];
  const loopsBack = new Set<string>();
  let censoredRuns = 0, stops = 0, decisions = 0, enteredElsewhere = 0, maxIterations = 0, maxCompleted = 0;
  const censored: CensoredCount[] = [];
  /** Iteration counts of runs that ended the request after a successful last step (a step limit, or a deadline between steps). */
  const cutCounts: number[] = [];
  for (const run of runs) {
    const starts: number[] = [];
    run.visits.forEach((v, i) => v.node === entry && starts.push(i));
    const elsewhere = starts[0] !== 0;
    if (elsewhere) enteredElsewhere++;
    const n = starts.length + (elsewhere ? 1 : 0);
    maxIterations = Math.max(maxIterations, n);
    /** Iterations that failed and yet the run went on: the agent observed the error – spent on top of the iterations it wants (path/composites.ts). */
    let observedInRun = 0;
    starts.forEach((at, k) => {
      const end = k + 1 < starts.length ? starts[k + 1] : run.visits.length;
      const last = k + 1 === starts.length;
      iterationSeqs.push({ visits: run.visits.slice(at, end), failed: run.failed && last });
      if (!last) loopsBack.add(run.visits[end - 1].node);
      if (run.visits[end - 1].failed && !(run.failed && last)) observedInRun++;
    });
    if (elsewhere && starts.length > 0) loopsBack.add(run.visits[starts[0] - 1].node);
    // The count the scenario's `iterations:` means: good iterations (the one a failure ended counts as reached).
    const good = Math.max(1, n - observedInRun);
    if (run.failed) {
      censoredRuns++;
      const cut = !run.visits[run.visits.length - 1].failed;
      decisions += cut ? good : good - 1;
      if (cut) cutCounts.push(n);
      censored.push({ value: good, ending: cut ? 'cutAfter' : 'failedDuring' });
    } else {
      stops++;
      maxCompleted = Math.max(maxCompleted, good);
      censored.push({ value: good, ending: 'stopped' });
      decisions += good;
      bump(completed, good);
      completedCounts.push(good);
      lastOfCompleted.push(run.visits[run.visits.length - 1].node);
    }
  }
  const body = inferFlow(iterationSeqs, newId, loops);
  const observed = body.edges.reduce((a, e) => a + e.afterError, 0);
  const { shares, beyond } = productLimitCounts(censored);
  /** Runs still going after the longest finished one: these carry `beyond`. */
  const longer = censored.filter((c) => (c.ending === 'cutAfter' && c.value >= maxCompleted) || (c.ending === 'failedDuring' && c.value > maxCompleted));
  // A limit: every run cut after a successful step stopped at one count, the longest of all (two at least, so one deadline is not read as a limit).
  const limit = cutCounts.length >= 2 && cutCounts.every((n) => n === maxIterations) ? maxIterations : null;
  return {
    id,
    entry,
    runs: runs.length,
    completedRuns: stops,
    censoredRuns,
    iterations: countEntries(completed),
    iterationShares: shares,
    outlasted: beyond > 0 && longer.length > 0 ? { share: beyond, runs: longer.length, longestIterations: Math.max(...longer.map((c) => c.value)) } : null,
    limit,
    meanIterations: meanInterval(completedCounts),
    maxIterations,
    stop: wilson(stops, decisions),
    lastIterationEndsEarly: loopsBack.size === 0 ? 0 : lastOfCompleted.filter((n) => !loopsBack.has(n)).length,
    enteredElsewhere,
    observeErrors: wilson(observed, observed + censored.filter((c) => c.ending === 'failedDuring').length),
    body,
  };
}
