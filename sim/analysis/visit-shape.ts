/**
 * One visit of a definition in expectation – attempts, pass probability and
 * backoff time – from its per-attempt law. Nothing is simulated.
 *
 * Every per-attempt probability is affine in the request's own fault
 * probability f (attempt.ts): without difficulty f is the fixed sum p of the
 * stage's fault probabilities; with it, f ~ Beta(pκ, (1 − p)κ), drawn once per
 * request. Causes that do not come from f – corrupted input caught by
 * validation, service times over the attempt's limit, a nested callee's
 * failure – enter as the constant parts. Given f, with a(f) the probability
 * that an attempt ends in a retried fault that is not persistent and
 * r(f) = persist·f that it ends in a retried fault that persists (every later
 * attempt of the visit repeats it; transientShare τ), over at most k attempts:
 *
 *   P(attempt n runs fresh)       a(f)^(n−1)
 *   P(attempt n runs persistent)  Σ_{m<n} a(f)^(m−1) · r(f)
 *   P(pass)                       Σ_{n≤k} a(f)^(n−1) · (pass0 − pass1·f)
 *
 * and the visit's figures are the expectations over f, which need
 * F_n = E[a(f)^(n−1)] and G_n = E[a(f)^(n−1)·f]. For a Beta f they follow from
 * its moments E[f^i] = Π_{j<i} (pκ + j)/(κ + j) (Johnson, Kotz & Balakrishnan,
 * "Continuous Univariate Distributions" vol. 2, §25.4) by expanding
 * a(f)^(n−1) binomially – in f when a(f) grows with f, in 1 − f (whose
 * moments swap the shapes) when it falls, so every term is non-negative.
 *
 * Taking the expectation of the product, not the product of expectations, is
 * the point: a request that failed once is likelier to fail again, so with
 * error 0.5, κ = 1 and 3 attempts a visit passes with probability
 * 1 − E[f³] = 0.6875, not 0.5 · (1 + 0.5 + 0.375) = 0.9375.
 */
import { meanBackoffDelayMs, type BackoffSpec } from '../policies/backoff/backoff.js';

/** What one attempt of a visit does, affine in the request's own fault probability f. */
export interface AttemptLaw {
  /** P(a retried fault that is not persistent) = retry0 + retry1·f: the next attempt runs fresh. */
  retry0: number;
  retry1: number;
  /** P(a retried fault that persists) = persist1·f: every later attempt of the visit repeats it. */
  persist1: number;
  /** P(the attempt passes) = pass0 − pass1·f. */
  pass0: number;
  pass1: number;
}

/** The request's own fault probability: fixed, or Beta(alpha, beta) (per-request difficulty). */
export type FaultDraw = { kind: 'fixed'; f: number } | { kind: 'beta'; alpha: number; beta: number };

export interface VisitShape {
  attempts: number;
  pass: number;
  backoffMs: number;
}

/** Attempts summed exactly before the tail is closed with its last rate (maxAttempts can be huge). */
const MAX_TERMS = 10_000;
/** The same for a Beta f, whose terms cost O(n) each. */
const MAX_BETA_TERMS = 1000;
/** A fresh attempt this unlikely ends the exact sum: later attempts only repeat persistent faults. */
const NEGLIGIBLE = 1e-17;

/** F_n and G_n of the module comment, one attempt at a time (n = 1 first). */
interface Powers {
  /** E[a(f)^(n−1)]. */
  F: number;
  /** E[a(f)^(n−1)·f]. */
  G: number;
  next(): void;
}

function fixedPowers(a: number, f: number): Powers {
  const p = {
    F: 1,
    G: f,
    next() {
      p.F *= a;
      p.G *= a;
    },
  };
  return p;
}

/**
 * F_n and G_n for f ~ Beta(alpha, beta): the coefficients w of
 * (c0 + c1·x)^(n−1) (non-negative) against the moments of x, where x = f when
 * a(f) = a0 + a1·f grows with f and x = 1 − f when it falls (a(f) =
 * (a0 + a1) − a1·(1 − f)); then E[a^(n−1) f] = F − E[a^(n−1)(1 − f)].
 */
function betaPowers(a0: number, a1: number, alpha: number, beta: number, terms: number): Powers {
  const rising = a1 >= 0;
  const c0 = rising ? a0 : a0 + a1;
  const c1 = rising ? a1 : -a1;
  const [s, t] = rising ? [alpha, beta] : [beta, alpha];
  const moments = new Float64Array(terms + 2);
  moments[0] = 1;
  for (let i = 0; i <= terms; i++) moments[i + 1] = (moments[i] * (s + i)) / (s + t + i);
  const w = new Float64Array(terms + 1);
  w[0] = 1;
  let degree = 0;
  const p = { F: 0, G: 0, next() {} };
  const evaluate = () => {
    let f = 0;
    let g = 0;
    for (let i = 0; i <= degree; i++) {
      f += w[i] * moments[i];
      g += w[i] * moments[i + 1];
    }
    p.F = f;
    p.G = rising ? g : Math.max(0, f - g);
  };
  p.next = () => {
    degree++;
    for (let i = degree; i > 0; i--) w[i] = c0 * w[i] + c1 * w[i - 1];
    w[0] *= c0;
    evaluate();
  };
  evaluate();
  return p;
}

/** Mean sleep before retry `retry`; decorrelated jitter from the previous mean, E = min(cap, (base + 3·prev)/2). */
function meanSleepMs(b: BackoffSpec, retry: number, previousMs: number): number {
  if (b.jitter !== 'decorrelated') return meanBackoffDelayMs(b, retry);
  return Math.min(b.maxMs, (b.baseMs + 3 * previousMs) / 2);
}

/** A visit of at most `maxAttempts` attempts with per-attempt law `law`, in expectation over `draw`. */
export function visitShape(law: AttemptLaw, draw: FaultDraw, maxAttempts: number, backoff: BackoffSpec): VisitShape {
  const k = maxAttempts;
  const beta = draw.kind === 'beta';
  const limit = beta ? MAX_BETA_TERMS : MAX_TERMS;
  const pw = beta ? betaPowers(law.retry0, law.retry1, draw.alpha, draw.beta, Math.min(k, limit)) : fixedPowers(law.retry0 + law.retry1 * draw.f, draw.f);
  let persistent = 0; // P(attempt n runs persistent)
  let attempts = 0;
  let passes = 0;
  let backoffMs = 0;
  let previousMs = backoff.baseMs;
  for (let n = 1; ; n++) {
    const runs = pw.F + persistent;
    attempts += runs;
    passes += law.pass0 * pw.F - law.pass1 * pw.G;
    if (n > 1) {
      previousMs = meanSleepMs(backoff, n - 1, previousMs);
      backoffMs += runs * previousMs;
    }
    if (n >= k) break;
    persistent += law.persist1 * pw.G;
    pw.next();
    if (n + 1 >= limit || pw.F < NEGLIGIBLE) {
      // Closing the tail: attempts n + 1 … k run at most at attempt n + 1's rate (runs never grow with n).
      const left = k - n;
      const rate = pw.F + persistent;
      attempts += rate * left;
      passes += Math.max(0, law.pass0 * pw.F - law.pass1 * pw.G) * left;
      backoffMs += rate * left * meanSleepMs(backoff, n, previousMs);
      break;
    }
  }
  return { attempts, pass: Math.min(1, Math.max(0, passes)), backoffMs };
}
