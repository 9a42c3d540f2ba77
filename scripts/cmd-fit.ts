/**
 * `coordgap fit TRACES --out scenario.yaml`: OpenTelemetry traces (OTLP JSON,
 * as the collector's file exporter writes them) or the JSONL span format →
 * a scenario that reproduces them (experiments/fit.ts), what was fitted and
 * what assumed, and a back-test of the fitted scenario against the traces.
 */
import type { Command } from 'commander';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { readSpansFile } from '../experiments/otel/read-spans.js';
import { applyLabels, readLabelsFile } from '../experiments/otel/read-labels.js';
import { fitSpans, fitYaml, backtest } from '../experiments/fit.js';
import { loadScenarioText } from '../experiments/load-scenario.js';
import { runScenario } from '../experiments/experiments.js';
import { ensureDirectory, replaceFile } from '../experiments/safe-files.js';
import { UsageError } from '../experiments/usage-error.js';
import { exists } from './output.js';
import { positiveInteger, type CommandContext, type CommonOptions } from './command-options.js';
import { formatFit } from './format-fit.js';
import { writeOutputFiles } from './output.js';
import { qqPoints } from '../sim/fit/index.js';

export function registerFit(program: Command, ctx: CommandContext): void {
  program
    .command('fit')
    .argument('<traces>', 'OTLP JSON traces (one export per line, as the collector file exporter writes) or the JSONL span format (README)')
    .description('traces → a scenario that reproduces them: the path, latency laws, error rates with intervals, arrivals; then a back-test')
    .requiredOption('--out <file>', 'the scenario file to write (YAML)')
    .option('--force', 'replace --out (and its arrivals file) if they exist')
    .option('--requests <n>', 'requests the back-test simulates (default: 10 × the traces, at least 20,000)', positiveInteger('--requests'))
    .option('--labels <file>', 'per-trace evaluation labels joined by trace id: JSON Lines {"traceId": "…", "evaluation": true | false | "pass" | "fail"}')
    .option('--no-backtest', 'write the scenario without simulating it')
    .option('--report <dir>', 'also write a fit report there: fit.md with what was fitted and assumed, the back-test, and a QQ plot per stage (charts/qq-STAGE.svg and .vl.json)')
    .option('--json', 'one JSON document on stdout: the notes, the per-stage fits and loops, the fit\'s warnings (fitWarnings) and the back-test')
    .action(async (traces: string, opts: { out: string; force?: boolean; requests?: number; backtest: boolean; json?: boolean; report?: string; labels?: string }) => {
      const target = resolve(ctx.io.cwd, opts.out);
      const arrivalsName = `${basename(opts.out, extname(opts.out))}.arrivals.txt`;
      const arrivalsTarget = resolve(dirname(target), arrivalsName);
      for (const t of [target, arrivalsTarget])
        if (!opts.force && (await exists(t))) throw new UsageError(`refusing to overwrite ${relative(ctx.io.cwd, t) || t}; pass --force to replace it or choose another --out`);
      const read = await readSpansFile(resolve(ctx.io.cwd, traces), { shownAs: traces });
      for (const w of read.warnings) ctx.writeErr(`${traces}: warning: ${w}\n`);
      let spans = read.spans;
      if (opts.labels !== undefined) {
        const joined = applyLabels(spans, await readLabelsFile(resolve(ctx.io.cwd, opts.labels), opts.labels));
        spans = joined.spans;
        if (joined.unmatched > 0) ctx.writeErr(`${opts.labels}: warning: ${joined.unmatched} label${joined.unmatched === 1 ? '' : 's'} name no trace of ${traces}\n`);
      }
      const name = basename(traces, extname(traces)).replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z]+/, '') || 'fitted';
      const fit = fitSpans(spans, { name: `${name}-fit`, source: traces, arrivalsFile: arrivalsName, ...(opts.requests !== undefined ? { requests: opts.requests } : {}) });
      const yamlText = fitYaml(fit, traces);
      // Nothing half-written: both files are complete before either replaces anything (safe-files.ts: temp file, then rename).
      await ensureDirectory(dirname(target));
      if (fit.arrivalOffsetsMs !== null) await replaceFile(arrivalsTarget, fit.arrivalOffsetsMs.map((t) => String(Number(t.toFixed(3)))).join('\n') + '\n');
      await replaceFile(target, yamlText);
      let rows = null;
      if (opts.backtest) {
        const loaded = await loadScenarioText(yamlText, opts.out, dirname(target));
        const { result } = await ctx.experiment('back-testing', { replications: 1 } as CommonOptions, (o) => runScenario(loaded, o));
        if (result !== null) rows = backtest(fit, result);
      }
      if (opts.report !== undefined) {
        // The chart code and its renderer (vega, ~0.25 s to load) only when a report is asked for.
        const [{ qqChart }, { fitMarkdown }, { renderSvg }] = await Promise.all([import('../reports/charts/qq.js'), import('../reports/fit-report.js'), import('../reports/render.js')]);
        const charts = fit.stages.map((f) => {
          const samples = fit.structure.stages.find((st) => st.id === f.id)!.durationsMs;
          return qqChart(f.id, f.latency.use.family, f.latency.note, qqPoints(samples, f.latency.use.spec));
        });
        const files: Record<string, string> = {
          'fit.md': fitMarkdown({ traces, out: opts.out, used: fit.structure.traces.used, skipped: fit.structure.traces.skipped.length, notes: fit.notes, warnings: fit.warnings, backtest: rows, charts }),
        };
        for (const c of charts) {
          files[`charts/${c.name}.vl.json`] = JSON.stringify(c.spec, null, 2) + '\n';
          files[`charts/${c.name}.svg`] = (await renderSvg(c.spec)).svg;
        }
        await writeOutputFiles(ctx.io.cwd, opts.report, files, opts.force === true);
      }
      const stages = fit.stages.map((f) => ({
        id: f.id,
        spans: f.spans,
        maxAttempts: f.maxAttempts,
        latency: { use: f.latency.use.params, note: f.latency.note },
        errors: { events: f.errors.events, trials: f.errors.trials, estimate: f.errors.estimate, ci95: f.errors.ci95 },
      }));
      const loops = fit.structure.loops.map((l) => ({
        id: l.id,
        entry: l.entry,
        runs: l.runs,
        completedRuns: l.completedRuns,
        censoredRuns: l.censoredRuns,
        iterationShares: l.iterationShares,
        outlasted: l.outlasted,
        limit: l.limit,
        observeErrors: { estimate: l.observeErrors.estimate, ci95: l.observeErrors.ci95 },
      }));
      // `warnings` is every command's key for the scenario loader's structured warnings (ctx.json fills it);
      // the fit's own, plain sentences, are `fitWarnings`.
      if (opts.json) ctx.write(ctx.json({ out: opts.out, traces: fit.structure.traces, stages, loops, parallels: fit.structure.parallels, silent: fit.silent, notes: fit.notes, fitWarnings: fit.warnings, backtest: rows }));
      else ctx.write(formatFit(fit, rows, { traces, out: opts.out }));
    });
}
