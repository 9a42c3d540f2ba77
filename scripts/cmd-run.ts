/**
 * `coordgap run FILE`: the baseline alone, replications merged exactly; the
 * summary, or --json, and results.json/results.csv under --out. Exit 1 when
 * the baseline fails a threshold. `--export-otel FILE` also writes a sample
 * of the simulated requests as OTLP JSON spans (experiments/otel/export-spans.ts).
 */
import type { Command } from 'commander';
import { dirname, resolve } from 'node:path';
import { runScenario } from '../experiments/experiments.js';
import { checkExportTarget, exportSpansToFile, DEFAULT_EXPORT_REQUESTS } from '../experiments/otel/export-spans.js';
import { ensureDirectory } from '../experiments/safe-files.js';
import { addCommonOptions, overrides, positiveInteger, type CommandContext, type CommonOptions } from './command-options.js';
import { experimentExitCode } from './cli-support.js';
import { formatRunSummary } from './format-run.js';
import { writeOutputFiles } from './output.js';
import { runCsv } from './result-files.js';
import { reportVerdict, runVerdict } from './cmd-thresholds.js';

export function registerRun(program: Command, ctx: CommandContext): void {
  addCommonOptions(program.command('run').argument('<file>', 'scenario file (YAML or JSON)'))
    .description('simulate one scenario (baseline only)')
    .option('--export-otel <file>', 'also write a sample of the simulated requests as OpenTelemetry spans: OTLP JSON lines, one trace per request, the true outcome as an evaluation label (--force replaces the file)')
    .option('--export-otel-requests <n>', `requests --export-otel writes: the first n (default ${DEFAULT_EXPORT_REQUESTS})`, positiveInteger('--export-otel-requests'))
    .action(async (file: string, opts: CommonOptions & { exportOtel?: string; exportOtelRequests?: number }) => {
      const loaded = await ctx.load(file, overrides(opts), { allowOutside: opts.allowOutside === true });
      const exportTarget = opts.exportOtel === undefined ? undefined : resolve(ctx.io.cwd, opts.exportOtel);
      // Refused before the run, not after it.
      if (exportTarget !== undefined) await checkExportTarget(exportTarget, opts.force === true, opts.exportOtel);
      const { result, status } = await ctx.experiment('simulating', opts, (o) => runScenario(loaded, o));
      let code = 0;
      if (result !== null) {
        const thresholds = runVerdict(loaded, result);
        const doc = { ...result, thresholds };
        if (opts.out) await writeOutputFiles(ctx.io.cwd, opts.out, { 'results.json': ctx.json(doc), 'results.csv': runCsv(result) }, opts.force === true);
        if (exportTarget !== undefined) {
          await ensureDirectory(dirname(exportTarget));
          const tools = new Set(loaded.scenario.stages.filter((s) => s.tool === true).map((s) => s.id));
          const spans = await exportSpansToFile(loaded.model, exportTarget, { maxRequests: opts.exportOtelRequests, toolStages: tools, force: opts.force === true, shownAs: opts.exportOtel });
          const cut = spans.unfinished > 0 ? ` (${spans.unfinished} sampled requests had not ended when the run stopped and are left out)` : '';
          ctx.writeErr(`wrote ${spans.requests} requests (${spans.spans} spans) to ${opts.exportOtel} as OTLP JSON${cut}\n`);
        }
        ctx.write(opts.json ? ctx.json(doc) : formatRunSummary(result, { color: ctx.color }));
        code = reportVerdict(thresholds, ctx.writeErr);
      }
      ctx.setExitCode(experimentExitCode(status, ctx.writeErr, code));
    });
}
