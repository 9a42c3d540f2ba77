/**
 * Expected work per request, from the model's parameters alone – nothing is
 * simulated: how often a request visits each definition, how many attempts,
 * retries and hedges each visit makes, and the busy time that puts on each
 * pool. The up-front budget (run-limits.ts) and the stability report
 * (stability.ts) are built on it.
 *
 * Attempts per visit (visit-shape.ts): every per-attempt probability is
 * affine in the request's own fault probability f – the fixed sum p of the
 * stage's fault probabilities, or with per-request difficulty
 * f ~ Beta(pκ, (1 − p)κ), drawn once per request (attempt.ts) – and the
 * visit's attempts, pass probability and backoff are expectations over f,
 * exact from the Beta moments E[f^i] = Π_{j<i} (pκ + j)/(κ + j). A request
 * that failed once is likelier to fail again, so with difficulty a visit
 * passes less often than its mean fault rate says (error 0.5, κ = 1,
 * 3 attempts: 0.6875, not 0.9375), and every later stage is reached less often.
 *
 * Nested retries (`propagate`): a caller's attempt that passes calls the chain
 * below, whose failure – after the chain's own retries, 1 − its pass
 * probability, computed innermost first – comes back as the caller's error,
 * so every retried layer multiplies the attempts of the layers below it.
 *
 * Approximations, said plainly: faults caused by queueing (an attempt's time
 * limit running out while it waits) are not counted, so under overload with
 * retried timeouts the real work is higher (a retry storm); breakers, retry
 * budgets and deadlines, which end requests sooner, are ignored; a restart
 * from an earlier stage (fragmented state, caught corruption, a strict
 * hand-off) re-runs the stages before it as fresh visits, ignoring that the
 * restart may meet a fault the first pass got past; incidents' latency
 * factors are ignored; a request's difficulty is kept across its visits of
 * one definition (restarts, repeated calls of a nested callee), while each
 * visit is computed as a fresh draw; a persistent fault is taken to be
 * retried on every later attempt of its visit.
 */
import type { Model, StageModel } from '../path/model.js';
import { attemptProbabilities } from './closed-forms.js';
import { RETRY_ON_CAUGHT, RETRY_ON_ERROR, RETRY_ON_TIMEOUT } from '../policies/retry/retry.js';
import { visitShape, type VisitShape } from './visit-shape.js';
import { graphDemand } from './graph-demand.js';
import { addVisits, attemptLaw, demandRows, MAX_FALLBACK_DEPTH, poolTotals } from './attempt-law.js';
import type { Demand } from './demand-types.js';

export type { Demand, DefinitionDemand } from './demand-types.js';

export function expectedDemand(model: Model): Demand {
  if (model.graph !== undefined) return graphDemand(model, model.graph);
  const n = model.stages.length;
  const all = [...model.stages, ...model.fallbacks];
  const { defs, human } = demandRows(model);
  let backoffMs = 0;
  /** Retries at each position (a fragmented-state retry re-runs every stage before it). */
  const retriesAt = new Float64Array(n);
  /** Re-runs of a stage by restarts from later stages (strict hand-offs, caught corruption). */
  const reruns = new Float64Array(n);
  const shapes: VisitShape[] = new Array(all.length);

  /**
   * A visit of definition d at `position`: per attempt, corrupted input is
   * caught first; then the attempt's own faults; an attempt that passes calls
   * the nested chain below when the next stage propagates, whose failure
   * (probability calleeFail[position]) comes back as this attempt's error.
   */
  const shapeOf = (d: number, position: number, corruptIn: number, calleeFail: number): VisitShape => {
    const s = all[d];
    const { law, draw } = attemptLaw(s, s.guard === null ? 0 : corruptIn * s.guard.catchRate, calleeFail);
    return visitShape(law, draw, s.retry.maxAttempts, s.retry.backoff);
  };
  /** Pass probability of a visit of d and its fallback chain (no accumulation). */
  const chainPass = (d: number, position: number, calleeFail: number, depth: number): number => {
    const pass = shapeOf(d, position, 0, calleeFail).pass;
    const fb = all[d].fallback;
    return fb >= 0 && depth < MAX_FALLBACK_DEPTH ? pass + (1 - pass) * chainPass(n + fb, position, calleeFail, depth + 1) : pass;
  };
  // Nested retries: the chance that the chain below a caller fails, innermost first.
  const calleeFail = new Float64Array(n);
  for (let i = n - 2; i >= 0; i--) if (model.stages[i + 1].propagate) calleeFail[i] = 1 - chainPass(i + 1, i + 1, calleeFail[i + 1], 0);

  /** Accumulates `visits` visits of definition d (and its fallback chain); returns the chain's pass probability. */
  const visit = (d: number, visits: number, position: number, corruptIn: number, depth: number): number => {
    const s = all[d];
    const mask = s.retry.retryOnMask;
    const caught = s.guard === null ? 0 : corruptIn * s.guard.catchRate;
    const shape = shapeOf(d, position, corruptIn, calleeFail[position]);
    shapes[d] = shape;
    backoffMs += addVisits(defs[d], visits, shape, s);
    retriesAt[position] += visits * (shape.attempts - 1);
    if (caught > 0 && mask & RETRY_ON_CAUGHT && position > 0) reruns[position - 1] += visits * shape.attempts * caught;
    const failed = 1 - shape.pass;
    if (s.fallback >= 0 && depth < MAX_FALLBACK_DEPTH)
      return shape.pass + failed * visit(n + s.fallback, visits * failed, position, corruptIn, depth + 1);
    if (s.escalate && human !== null) {
      human.visits += visits * failed;
      human.attempts += visits * failed;
    }
    return shape.pass;
  };

  let reach = 1;
  let corrupt = 0;
  for (let i = 0; i < n; i++) {
    const edge = model.edges[i];
    if (edge !== null) {
      const loss = edge.contextLossProbability;
      const mismatch = edge.formatMismatchProbability;
      if (edge.strictReceiver && mismatch > 0) {
        // A refused hand-off is retried (as an error) by re-running the producer.
        const st = model.stages[i];
        const retried = (st.retry.retryOnMask & RETRY_ON_ERROR) !== 0;
        const k = st.retry.maxAttempts;
        // Σ_{j=1}^{k−1} m^j refusals retried per entry.
        const redo = !retried ? 0 : mismatch === 1 ? k - 1 : (mismatch * (1 - mismatch ** (k - 1))) / (1 - mismatch);
        reruns[i - 1] += reach * redo;
        defs[i].retries += reach * redo;
        retriesAt[i] += reach * redo;
        reach *= 1 - (retried ? mismatch ** k : mismatch);
        corrupt = 1 - (1 - corrupt) * (1 - loss);
      } else {
        corrupt = 1 - (1 - corrupt) * (1 - loss - mismatch);
      }
    }
    const pass = visit(i, reach, i, corrupt, 0);
    const s = model.stages[i];
    const own = attemptProbabilities(s);
    const cleanShare = own.ok > 0 ? 1 - own.corrupt / own.ok : 1;
    const uncaught = s.guard === null ? corrupt : corrupt * (1 - s.guard.catchRate);
    corrupt = 1 - (1 - uncaught) * cleanShare;
    // A caller's attempts that pass all enter the nested chain below, failing or not.
    const f = calleeFail[i];
    reach *= f > 0 ? (f < 1 ? pass / (1 - f) : shapes[i].attempts) : pass;
  }

  // Restarts re-run earlier stages: without checkpoints every retry at a
  // position re-runs every stage before it, whose own retries restart again
  // (summed from the back); with them, a producer once per refused hand-off
  // or caught corruption.
  const again = new Float64Array(n);
  if (!model.checkpointResume) {
    let later = 0;
    for (let i = n - 1; i >= 0; i--) {
      again[i] = later;
      later += retriesAt[i] + (shapes[i] === undefined ? 0 : again[i] * (shapes[i].attempts - 1));
    }
  } else again.set(reruns);
  for (let i = 0; i < n; i++) {
    if (again[i] <= 0 || shapes[i] === undefined) continue;
    backoffMs += addVisits(defs[i], again[i], shapes[i], model.stages[i]);
  }

  if (human !== null) defs.push(human);
  return { defs, ...poolTotals(model, defs), backoffMs };
}
