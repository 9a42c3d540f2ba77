/**
 * The terminal summary of one run: what a person reads first, then the detail.
 * Numbers go through the report's formatters (reports/format.ts), so the
 * terminal and the report print a figure the same way.
 */
import { textTable } from './text-table.js';
import type { RunResult, LatencySummary, GraphResult } from '../sim/metrics/index.js';
import { OUTCOMES } from '../sim/path/index.js';
import { SHEDDING_SHARE } from '../sim/analysis/index.js';
import { stabilityWarnings } from '../reports/stability-notes.js';
import { int, ms, pct, usd } from '../reports/format.js';
import { OUTCOME_LABELS } from '../reports/theme.js';
import { goodputLine, llmLines, stageLlmColumns } from './format-llm.js';

/**
 * Spend (money paid: tokens, compute, human time) and the scenario's assumed
 * silent-failure cost on lines of their own, and their total only as that
 * labelled sum (sim/metrics/cost.ts says why they are kept apart). Nothing for a
 * scenario without prices.
 */
export function costLines(r: RunResult): string[] {
  const { spend, assumedPenalty: penalty, breakdown: b } = r.costUsd;
  if (r.costUsd.total === 0 && penalty.perSilentFailure === 0) return [];
  const successes = r.outcomes.success;
  const each = (x: number) => usd(successes > 0 ? x / successes : null);
  const parts = [`tokens ${each(b.tokens)}`, `compute ${each(b.compute)}`, `human ${each(b.human)}`, ...(b.escalation > 0 ? [`escalation handling ${each(b.escalation)}`] : [])];
  const out = [`  spend ${usd(spend.perSuccess)} per success (${parts.join(', ')}) · ${usd(spend.perRequest)} per request`];
  if (penalty.perSilentFailure > 0) {
    out.push(
      `  assumed silent-failure cost ${usd(penalty.perSuccess)} per success (${int(r.outcomes.silentFailure)} silent failures × ${usd(penalty.perSilentFailure)}, the scenario's assumption) · ${usd(penalty.perRequest)} per request`,
    );
    out.push(`  cost per success: spend ${usd(spend.perSuccess)} + assumed silent-failure cost ${usd(penalty.perSuccess)} = ${usd(r.costUsd.perSuccess)}`);
  }
  return out;
}

function latencyLine(l: LatencySummary): string {
  if (l.count === 0) return 'no requests';
  return `mean ${ms(l.mean)} · p50 ${ms(l.p50)} · p90 ${ms(l.p90)} · p95 ${ms(l.p95)} · p99 ${ms(l.p99)} · p99.9 ${ms(l.p999)}`;
}


/**
 * A graph's own figures: visits per node, what each composite did – a
 * loop's iterations (mean, p95, max against its limit, limit hits, observed
 * errors), a fan-out's branches per entry, abandoned branches, failed joins –
 * and tokens per request.
 */
export function graphLines(g: GraphResult): string[] {
  const out = ['  visits per request: ' + g.nodes.map((x) => `${x.id} ${x.visitsPerRequest.toFixed(2)}`).join(' · ')];
  if (g.composites.length > 0) {
    const rows = [['node', 'kind', 'join', 'entries', 'branches/entry', 'abandoned', 'failed', 'iterations mean', 'p95', 'max/limit', 'at limit', 'observed errors']];
    for (const c of g.composites) {
      const it = c.iterations;
      rows.push([
        c.id, c.kind, c.join, int(c.entries), c.branchesPerEntry.toFixed(2), int(c.abandoned), int(c.failures),
        it ? it.mean.toFixed(2) : '–', it ? String(it.p95) : '–', it ? `${it.max}/${it.limit}` : '–',
        it ? `${int(it.limitHits)} (${pct(it.limitHitRate, 2)})` : '–', it ? int(it.observedErrors) : '–',
      ]);
    }
    out.push(textTable(rows).join('\n'));
  }
  out.push(`  tokens per request: ${g.tokensPerRequest.input.toFixed(0)} in · ${g.tokensPerRequest.output.toFixed(0)} out`);
  return out;
}

export function formatRunSummary(r: RunResult, opts: { color: boolean }): string {
  const bold = (s: string) => (opts.color ? `\x1b[1m${s}\x1b[22m` : s);
  const out: string[] = [];
  out.push(
    bold(r.scenario) +
      ` · seed ${r.seed} · ${int(r.requests)} requests × ${r.replications} replication${r.replications === 1 ? '' : 's'} · scenario ${r.meta.scenarioHash}`,
  );
  for (const o of OUTCOMES) {
    const n = r.outcomes[o];
    let line = `  ${OUTCOME_LABELS[o].padEnd(15)} ${pct(n / r.requests, 2).padStart(8)}  ${int(n).padStart(10)}`;
    if (o === 'success') {
      const [lo, hi] = r.successRate.ci95;
      line += `   95 % CI [${pct(lo, 2)}, ${pct(hi, 2)}]`;
      if (r.analytic) {
        const inside = r.analytic.successRate >= lo && r.analytic.successRate <= hi;
        line += ` · closed form ${pct(r.analytic.successRate, 3)} (${inside ? 'inside' : 'OUTSIDE'} the interval)`;
      }
    } else if (o === 'silentFailure' && n > 0) {
      const [lo, hi] = r.silentFailureRate.ci95;
      line += `   95 % CI [${pct(lo, 2)}, ${pct(hi, 2)}]`;
    }
    out.push(line);
  }
  out.push(`  latency of successful requests: ${latencyLine(r.latencyMs)}`);
  out.push(
    // With a latency target, "goodput" is the figure within it (next line); this one is every success.
    `  throughput ${r.throughputPerSec.toFixed(1)} req/s (${r.goodput === undefined ? 'goodput' : 'successful'} ${r.goodputPerSec.toFixed(1)}/s) over ${ms(r.simulatedSpanMs)} simulated · ${int(r.events)} events`,
  );
  if (r.goodput !== undefined) out.push(goodputLine(r.goodput));
  const yellow = (x: string) => (opts.color ? `\x1b[33m${x}\x1b[39m` : x);
  for (const w of stabilityWarnings(r, SHEDDING_SHARE)) out.push('  ' + yellow(w));
  out.push(...costLines(r));
  out.push('');
  const llmCols = stageLlmColumns(r.stages);
  const rows = [['stage', 'pool', 'attempts', 'errors', 'timeouts', 'retries', ...llmCols.map((c) => c.label), 'silent', 'util', 'queue']];
  for (const s of r.stages)
    rows.push([
      s.id, s.pool, int(s.attempts), int(s.errors), int(s.timeouts), int(s.retries), ...llmCols.map((c) => c.cell(s)), int(s.silentInjected), pct(s.utilization), ms(s.meanQueueMs),
    ]);
  out.push(textTable(rows).join('\n'));
  if (r.graph !== undefined) out.push('', ...graphLines(r.graph));
  const llm = llmLines(r);
  if (llm.length > 0) out.push('', ...llm);
  if (r.attribution.length > 0) {
    out.push('');
    out.push('  where non-successful requests first went wrong: ' + r.attribution.map((a) => `${a.origin} ${int(a.count)}`).join(' · '));
  }
  return out.join('\n') + '\n';
}
