/**
 * `coordgap run FILE`: the baseline alone, replications merged exactly; the
 * summary, or --json, and results.json/results.csv under --out. Exit 1 when
 * the baseline fails a threshold.
 */
import type { Command } from 'commander';
import { runScenario } from '../experiments/experiments.js';
import { addCommonOptions, overrides, type CommandContext, type CommonOptions } from './command-options.js';
import { experimentExitCode } from './cli-support.js';
import { formatRunSummary } from './format-run.js';
import { writeOutputFiles } from './output.js';
import { runCsv } from './result-files.js';
import { reportVerdict, runVerdict } from './cmd-thresholds.js';

export function registerRun(program: Command, ctx: CommandContext): void {
  addCommonOptions(program.command('run').argument('<file>', 'scenario file (YAML or JSON)'))
    .description('simulate one scenario (baseline only)')
    .action(async (file: string, opts: CommonOptions) => {
      const loaded = await ctx.load(file, overrides(opts), { allowOutside: opts.allowOutside === true });
      const { result, status } = await ctx.experiment('simulating', opts, (o) => runScenario(loaded, o));
      let code = 0;
      if (result !== null) {
        const thresholds = runVerdict(loaded, result);
        const doc = { ...result, thresholds };
        if (opts.out) await writeOutputFiles(ctx.io.cwd, opts.out, { 'results.json': ctx.json(doc), 'results.csv': runCsv(result) }, opts.force === true);
        ctx.write(opts.json ? ctx.json(doc) : formatRunSummary(result, { color: ctx.color }));
        code = reportVerdict(thresholds, ctx.writeErr);
      }
      ctx.setExitCode(experimentExitCode(status, ctx.writeErr, code));
    });
}
