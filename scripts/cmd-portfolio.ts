/**
 * `coordgap portfolio FILE [--budget USD] [--max-combinations K]`: the best
 * combination of the scenario's options (its variants) for a monthly
 * budget. Combinations are simulated against the baseline on common random
 * numbers – never added up from single options, because fixes interact –
 * every one up to 10 options, else a bounded search (experiments/portfolio.ts,
 * sim/experiment/portfolio-search.ts). Prints the recommended set and what it
 * buys, the best first step, the frontier, the conflicting pairs and how many
 * combinations were simulated in how long; --out writes results.json,
 * portfolio.md and charts/portfolio-frontier.*.
 */
import type { Command } from 'commander';
import { addCommonOptions, overrides, positiveInteger, type CommandContext, type CommonOptions } from './command-options.js';
import { experimentExitCode } from './cli-support.js';
import { writeOutputFiles } from './output.js';
import { UsageError } from '../experiments/usage-error.js';
import { computePortfolio } from '../experiments/portfolio.js';
import { portfolioFiles } from '../reports/portfolio.js';
import { formatPortfolio } from './format-portfolio.js';

/** The files --out writes. */
const PORTFOLIO_FILES = ['results.json', 'portfolio.md', 'charts/portfolio-frontier.vl.json', 'charts/portfolio-frontier.svg'] as const;

/** `--budget`: US dollars a month, a finite number ≥ 0 ("1500", "2.5e3"; a leading $ and thousands commas allowed). */
export function budgetUsd(v: string): number {
  const n = Number(v.trim().replace(/^\$/, '').replace(/,/g, ''));
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`--budget must be US dollars a month, a number of at least 0 such as 1500; got "${v}"`);
  return n;
}

interface PortfolioOptions extends CommonOptions {
  budget?: number;
  maxCombinations?: number;
  png?: boolean;
}

export function registerPortfolio(program: Command, ctx: CommandContext): void {
  addCommonOptions(program.command('portfolio').argument('<file>', 'scenario file whose variants are the options (with their price: blocks)'), 4)
    .description('the best combination of options for a monthly budget: combinations simulated on common random numbers, the frontier, the best first step')
    .option(
      '--budget <usd>',
      'extra cost a month the chosen set may add, USD (simulated spend change at the traffic + monthly prices + one-off prices over costs.amortizationMonths); without it, the set with the most task success at whatever it costs',
      budgetUsd,
    )
    .option(
      '--max-combinations <k>',
      'beyond 10 options, simulate at most K combinations by a bounded search (default 64, or twice the options); given below the count of combinations, bounds a smaller search too',
      positiveInteger('--max-combinations'),
    )
    .option('--png', 'with --out, also draw the chart as PNG at 2× (charts/portfolio-frontier.png)')
    .action(async (file: string, opts: PortfolioOptions) => {
      if (opts.png && !opts.out) throw new UsageError('--png draws the chart into the --out directory; give --out DIR too');
      const loaded = await ctx.load(file, overrides(opts), { allowOutside: opts.allowOutside === true });
      const n = loaded.variants.length;
      if (n === 0) throw new UsageError(`${file} has no variants to combine; add a "variants:" list – each variant is an option, priced with price: { oneOffUsd, engineeringDays, monthlyUsd }`);
      if (opts.maxCombinations !== undefined && opts.maxCombinations < n)
        throw new UsageError(`--max-combinations ${opts.maxCombinations} is fewer than the ${n} options: a search simulates each option alone first; give at least ${n}`);
      const outputs = [...PORTFOLIO_FILES, ...(opts.png ? ['charts/portfolio-frontier.png'] : [])];
      const startedMs = performance.now();
      const { result, status } = await ctx.experiment(
        'simulating combinations',
        opts,
        (o) => computePortfolio(loaded, o, { budgetUsd: opts.budget ?? null, ...(opts.maxCombinations !== undefined ? { maxCombinations: opts.maxCombinations } : {}) }),
        outputs,
      );
      const seconds = (performance.now() - startedMs) / 1000;
      if (result !== null) {
        if (opts.out) await writeOutputFiles(ctx.io.cwd, opts.out, { 'results.json': ctx.json(result), ...(await portfolioFiles(result, { png: opts.png === true })) }, opts.force === true);
        ctx.write(opts.json ? ctx.json(result) : formatPortfolio(result, seconds));
      }
      ctx.setExitCode(experimentExitCode(status, ctx.writeErr, 0));
    });
}
