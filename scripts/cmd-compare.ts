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
import { compareWithUncertainty } from '../experiments/uncertainty.js';
import { loadScenarioFile } from '../experiments/load-scenario.js';
import { formatUncertainty } from './format-uncertainty.js';
import { positiveInteger } from './command-options.js';

export function registerCompare(program: Command, ctx: CommandContext): void {
  addGateOption(addCommonOptions(program.command('compare').argument('<file>', 'scenario file with variants'), 4))
    .description('baseline vs every variant in the file, paired on common random numbers')
    .option('--independent', 'give each variant its own random numbers (to measure what pairing buys)')
    .option(
      '--uncertainty <n>',
      "also run N draws of the scenario's uncertainty: parameters (each a paired comparison with its own seed) and report intervals that include them, and P(variant better)",
      positiveInteger('--uncertainty'),
    )
    .action(async (file: string, opts: CommonOptions & { gate: string; uncertainty?: number }) => {
      const loadOptions = { allowOutside: opts.allowOutside === true };
      const loaded = await ctx.load(file, overrides(opts), loadOptions);
      if (loaded.variants.length === 0) throw new UsageError(`${file} has no variants to compare; add a "variants:" list`);
      validateGate(opts.gate, loaded);
      // A draw is the same file with its drawn values as --set overrides after the caller's own; its warnings were said once already.
      const reload = (extra: string[]) => loadScenarioFile(file, ctx.io.cwd, [...overrides(opts), ...extra], loadOptions);
      const { comparison, uncertainty, status, missing } = await ctx.experiment('comparing', opts, async (o) =>
        opts.uncertainty === undefined ? { ...(await compareScenario(loaded, o)), uncertainty: null } : compareWithUncertainty(loaded, reload, opts.uncertainty, o),
      );
      let code = 0;
      if (comparison !== null) {
        const thresholds = comparisonVerdict(loaded, comparison, opts.gate);
        const doc = { ...comparison, thresholds, ...(uncertainty !== null ? { uncertainty } : {}) };
        if (opts.out) await writeOutputFiles(ctx.io.cwd, opts.out, { 'results.json': ctx.json(doc), 'results.csv': comparisonCsv(comparison) }, opts.force === true);
        ctx.write(opts.json ? ctx.json(doc) : formatComparison(comparison, { color: ctx.color }) + (uncertainty !== null ? '\n' + formatUncertainty(uncertainty) : ''));
        if (missing.length > 0) ctx.writeErr(`coordgap: left out for failed or interrupted runs: ${missing.join(', ')}\n`);
        code = reportVerdict(thresholds, ctx.writeErr);
      }
      ctx.setExitCode(experimentExitCode(status, ctx.writeErr, code));
    });
}
