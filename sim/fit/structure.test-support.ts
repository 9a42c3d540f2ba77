/**
 * Hand-built traces for the structure tests: a root span (the request) over
 * steps run one after another, each step one span, a fan-out of spans that
 * start together or branches that start together and each run a chain of
 * spans, and seeded draws (seedrandom) for the counts.
 */
import seedrandom from 'seedrandom';
import type { FitSpan } from './span.js';

export interface StepSpec {
  name: string;
  ms: number;
  error?: boolean;
  errorType?: string;
  evaluationPassed?: boolean;
  /** Starts this many ms before the previous step ended (clock skew, an asynchronous hand-off) instead of 1 ms after. */
  startEarlyMs?: number;
}
/** One span, several that start together (a fan-out), branches that start together (each a chain of spans, 1 ms apart), or a container span around steps. */
export type Step = StepSpec | { fanOut: StepSpec[] } | { branches: StepSpec[][] } | { container: string; steps: Step[] };

/** A FitSpan with the fields a test does not care about filled in. */
export function fitSpan(p: Pick<FitSpan, 'traceId' | 'spanId' | 'parentSpanId' | 'name' | 'startMs' | 'endMs'> & Partial<FitSpan>): FitSpan {
  return {
    operation: p.name.split(' ')[0],
    kind: 1,
    error: false,
    errorType: null,
    inputTokens: null,
    outputTokens: null,
    ttftMs: null,
    evaluationPassed: null,
    line: 0,
    ...p,
  };
}

/** Collects the spans of many traces, numbering span ids and lines. */
export class TraceSet {
  readonly spans: FitSpan[] = [];
  private nextId = 0;

  private add(p: Parameters<typeof fitSpan>[0]): FitSpan {
    const s = fitSpan({ ...p, line: this.spans.length + 1 });
    this.spans.push(s);
    return s;
  }

  id(): string {
    return `s${String(this.nextId++).padStart(7, '0')}`;
  }

  /** A trace: a root "invoke_agent app" at t0 over the steps, run in order with 1 ms between them. */
  trace(traceId: string, t0: number, steps: Step[], root: { error?: boolean; evaluationPassed?: boolean } = {}): void {
    const rootId = this.id();
    const end = this.steps(traceId, rootId, t0, steps);
    this.add({ traceId, spanId: rootId, parentSpanId: null, name: 'invoke_agent app', startMs: t0, endMs: end + 1, error: root.error ?? false, evaluationPassed: root.evaluationPassed ?? null });
  }

  private one(traceId: string, parent: string, t: number, s: StepSpec): number {
    this.add({ traceId, spanId: this.id(), parentSpanId: parent, name: s.name, startMs: t, endMs: t + s.ms, error: s.error ?? false, errorType: s.errorType ?? null, evaluationPassed: s.evaluationPassed ?? null });
    return t + s.ms;
  }

  private steps(traceId: string, parent: string, t0: number, steps: Step[]): number {
    let t = t0 + 1;
    for (const step of steps) {
      if ('fanOut' in step) t = Math.max(...step.fanOut.map((s) => this.one(traceId, parent, t, s))) + 1;
      else if ('branches' in step)
        t = Math.max(...step.branches.map((chain) => chain.reduce((u, s, k) => this.one(traceId, parent, k === 0 ? u : u + 1, s), t))) + 1;
      else if ('container' in step) {
        const id = this.id();
        const end = this.steps(traceId, id, t, step.steps) + 1;
        this.add({ traceId, spanId: id, parentSpanId: parent, name: step.container, startMs: t, endMs: end });
        t = end + 1;
      } else t = this.one(traceId, parent, step.startEarlyMs === undefined ? t : t - 1 - step.startEarlyMs, step) + 1;
    }
    return t;
  }
}

/** Seeded uniform draws on (0, 1) and the counts the tests need. */
export class Draws {
  private readonly u: () => number;
  constructor(seed: string) {
    this.u = seedrandom(seed);
  }
  uniform(): number {
    return this.u();
  }
  /** Duration in ms: exponential with this mean, at least 1 ms. */
  ms(mean: number): number {
    return 1 + Math.round(-mean * Math.log(1 - this.u()));
  }
  /** Geometric on 1, 2, … with stop probability p: P(n) = (1 − p)^(n−1) p. */
  geometric(p: number): number {
    let n = 1;
    while (this.u() >= p) n++;
    return n;
  }
  /** Poisson by Knuth's product of uniforms (TAOCP vol. 2, 3.4.1). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    for (let prod = this.u(); prod > limit; prod *= this.u()) k++;
    return k;
  }
}
