/**
 * `coordgap compare FILE`: the baseline against every variant on common random
 * numbers (paired intervals); exit 1 when the gated arm fails a threshold
 * (--gate, default: no arm passes all).
 */
import type { Command } from 'commander';
import { compareScenario } from '../experiments/experiments.js';
import { UsageError } from '../experiments/usage-error.js';
import { addCommonOptions, addGateOption, overrides, type CommandContext, type CommonOptions } from './command-options.js';
import { experimentExitCode } from './cli-support.js';
import { formatComparison } from './format-compare.js';
import { writeOutputFiles } from './output.js';
import { comparisonCsv } from './result-files.js';
import { comparisonVerdict, reportVerdict, validateGate } from './cmd-thresholds.js';

export function registerCompare(program: Command, ctx: CommandContext): void {
  addGateOption(addCommonOptions(program.command('compare').argument('<file>', 'scenario file with variants'), 4))
    .description('baseline vs every variant in the file, paired on common random numbers')
    .option('--independent', 'give each variant its own random numbers (to measure what pairing buys)')
    .action(async (file: string, opts: CommonOptions & { gate: string }) => {
      const loaded = await ctx.load(file, overrides(opts), { allowOutside: opts.allowOutside === true });
      if (loaded.variants.length === 0) throw new UsageError(`${file} has no variants to compare; add a "variants:" list`);
      validateGate(opts.gate, loaded);
      const { comparison, status, missing } = await ctx.experiment('comparing', opts, (o) => compareScenario(loaded, o));
      let code = 0;
      if (comparison !== null) {
        const thresholds = comparisonVerdict(loaded, comparison, opts.gate);
        const doc = { ...comparison, thresholds };
        if (opts.out) await writeOutputFiles(ctx.io.cwd, opts.out, { 'results.json': ctx.json(doc), 'results.csv': comparisonCsv(comparison) }, opts.force === true);
        ctx.write(opts.json ? ctx.json(doc) : formatComparison(comparison, { color: ctx.color }));
        if (missing.length > 0) ctx.writeErr(`coordgap: left out for failed or interrupted runs: ${missing.join(', ')}\n`);
        code = reportVerdict(thresholds, ctx.writeErr);
      }
      ctx.setExitCode(experimentExitCode(status, ctx.writeErr, code));
    });
}
