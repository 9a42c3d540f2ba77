/**
 * Which sets of stages seen running together become parallel nodes, and
 * where a stage that runs both alone and as a branch goes.
 *
 * A set becomes a node when at least PARALLEL_MIN_TRACES traces show it (a
 * cluster of exactly these stages, one branch each: visits.ts) and it runs
 * in parallel in at least PARALLEL_MIN_SHARE of the traces that run every
 * one of its stages. Stages that overlap in a few traces only run in
 * sequence with the odd slow hand-off; their clusters stay in start order,
 * and the fit warns (parallelWarning).
 *
 * A node belongs to one flow in the scenario language ("define another stage
 * (a copy under a new id)"), so a stage run in more than one place – alone
 * and as a branch, or as a branch of two different nodes – is one stage per
 * place: the stage itself where it runs alone (else where it runs most
 * often), a copy for each other place, each fitted from its own spans.
 */
import { parallelStageKeys, type Cluster, type Visit } from './visits.js';

/** A set of stages needs this many traces running it in parallel to become a parallel node: one trace is an accident of timing. */
export const PARALLEL_MIN_TRACES = 2;
/** …and this share of the traces that run every one of its stages: stages that overlap now and then run in sequence, with the odd slow hand-off. */
export const PARALLEL_MIN_SHARE = 0.1;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** How the traces show a set of stages running together, and whether it became a parallel node. */
export interface ParallelCandidate {
  key: string;
  /** Traces with a cluster of exactly these stages, one branch each. */
  traces: number;
  /** Traces that run every one of these stages. */
  tracesWithStages: number;
  /** Traces where these stages ran together but one of them twice (no one-branch-per-stage visit). */
  malformedTraces: number;
  accepted: boolean;
}

/** Judges every set of stages seen running together by the rule above; traces give their stage keys and clusters. */
export function judgeParallelSets(traces: readonly { stageKeys: ReadonlySet<string>; clusters: readonly Cluster[] }[]): Map<string, ParallelCandidate> {
  const out = new Map<string, ParallelCandidate>();
  for (const t of traces) {
    const seen = new Set<string>(), malformed = new Set<string>();
    for (const c of t.clusters) if (c.parallelKey !== null) (c.branches ? seen : malformed).add(c.parallelKey);
    for (const key of new Set([...seen, ...malformed])) {
      const cand = out.get(key) ?? out.set(key, { key, traces: 0, tracesWithStages: 0, malformedTraces: 0, accepted: false }).get(key)!;
      if (seen.has(key)) cand.traces++;
      else cand.malformedTraces++;
    }
  }
  for (const cand of out.values()) {
    const stages = parallelStageKeys(cand.key);
    cand.tracesWithStages = traces.filter((t) => stages.every((k) => t.stageKeys.has(k))).length;
    cand.accepted = cand.traces >= PARALLEL_MIN_TRACES && cand.traces >= PARALLEL_MIN_SHARE * cand.tracesWithStages;
  }
  return out;
}

/** The separator of a copy's key: its stage key, then the parallel node's key. */
const COPY = '\u0002';

/** A stage key and, for a copy, the parallel node it is a branch of. */
export function splitStageKey(key: string): { stageKey: string; parallelKey: string | null } {
  const at = key.indexOf(COPY);
  return at < 0 ? { stageKey: key, parallelKey: null } : { stageKey: key.slice(0, at), parallelKey: key.slice(at + 1) };
}

/**
 * The key each stage visit is gathered under: the stage key in its home
 * place (alone if it ever runs alone, else the parallel node it runs in
 * most, ties to the smaller key), stage key + node key elsewhere.
 */
export function stageKeysByPlace(traces: readonly (readonly Visit[])[]): (stageKey: string, parallelKey: string | null) => string {
  const places = new Map<string, Map<string, number>>();
  const bump = (stage: string, place: string) => {
    const m = places.get(stage) ?? places.set(stage, new Map()).get(stage)!;
    m.set(place, (m.get(place) ?? 0) + 1);
  };
  for (const visits of traces)
    for (const v of visits) {
      if (v.kind === 'stage') bump(v.key, '');
      else for (const b of v.branches) bump(b.key, v.key);
    }
  const home = new Map<string, string>();
  for (const [stage, m] of places) home.set(stage, m.has('') ? '' : [...m].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))[0][0]);
  return (stageKey, parallelKey) => ((parallelKey ?? '') === home.get(stageKey) ? stageKey : `${stageKey}${COPY}${parallelKey}`);
}

/** The warning for stages that ran at the same time but became no parallel node: how many traces, and why, for the commonest sets. */
export function parallelWarning(traces: number, total: number, candidates: Iterable<ParallelCandidate>, idOf: (stageKey: string) => string): string {
  const why = [...candidates]
    .filter((c) => !c.accepted || c.malformedTraces > 0)
    .sort((a, b) => b.traces + b.malformedTraces - (a.traces + a.malformedTraces) || cmp(a.key, b.key))
    .slice(0, 3)
    .map((c) => {
      const set = `{${parallelStageKeys(c.key).map(idOf).sort(cmp).join(', ')}}`;
      if (c.accepted) return `${set}: in ${c.malformedTraces} traces one of them ran twice beside the others`;
      const also = c.malformedTraces > 0 ? ` (and ${c.malformedTraces} where one of them ran twice)` : '';
      return `${set}: together in ${c.traces} of the ${c.tracesWithStages} traces that run them all${also}`;
    });
  return (
    `${traces} of ${total} traces run different operations at the same time that the fit did not make a parallel node (${why.join('; ')}); ` +
    `those are ordered by start time – a parallel node needs at least ${PARALLEL_MIN_TRACES} traces and ${100 * PARALLEL_MIN_SHARE} % of the traces that run its stages, each stage once beside the others`
  );
}
