/**
 * `coordgap report FILE` and `coordgap demo`: run the comparison, the
 * sensitivity ranking, with `--budget USD` the budgeted portfolio, and the
 * reliability-vs-steps study, then write the
 * report (Markdown, self-contained HTML, results JSON/CSV, every chart as
 * Vega-Lite spec and SVG, and PNG with `--png`). `--from results.json`
 * re-renders saved results.
 */
import type { Command } from 'commander';
import { dirname, join, relative, resolve } from 'node:path';
import { UsageError, type LoadedScenario } from '../experiments/load-scenario.js';
import { addCommonOptions, addGateOption, overrides, positiveInteger, type CommandContext, type CommonOptions } from './command-options.js';
import { comparisonVerdict, reportVerdict, validateGate } from './cmd-thresholds.js';
import { gateVerdict } from '../sim/metrics/index.js';
import { compareScenario, type ExperimentOptions, type ExperimentStatus } from '../experiments/experiments.js';
import { computeSensitivity } from '../experiments/sensitivity.js';
import { computePortfolio } from '../experiments/portfolio.js';
import { budgetUsd } from './cmd-portfolio.js';
import { runSweep } from '../experiments/sweep.js';
import { experimentExitCode } from './cli-support.js';
import { stepStateFile } from '../experiments/checkpoint.js';
import { exists, writeOutputFiles } from './output.js';
import { readRegularFile } from '../experiments/safe-files.js';
import { parseJson, pathSegment, type PathSegment } from '../experiments/untrusted-text.js';
import { MAX_PROFILE_BYTES } from '../experiments/hardware.js';
import { formatComparison } from './format-compare.js';
import { formatUncertainty } from './format-uncertainty.js';
import { VERSION, PACKAGE_ROOT } from '../experiments/version.js';
import { reliabilityVsSteps } from '../sim/experiment/index.js';
import { pathTopology } from '../sim/path/index.js';
import type { DrawnCharts, ReportInput, ReportResults } from '../reports/index.js';
import { reportInput, scenarioDecisionInputs } from '../experiments/report-input.js';
import { parseReportResults, parseWhatIfPage } from './read-results.js';
import type { WhatIfPage } from '../reports/what-if.js';
import { scenarioAbout } from '../reports/about.js';
import { parseProfile, type HardwareProfile } from '../bench/profile.js';
import { compareWithUncertainty } from '../experiments/uncertainty.js';
import { loadScenarioFile } from '../experiments/load-scenario.js';
import { whatIfPageInput } from '../experiments/what-if/page-input.js';

/**
 * The report builder (vega, vega-lite, the SVG/PNG renderers) is loaded when a
 * report is built, not when the CLI starts: it is ~45 MB of resident memory
 * and ~0.2 s of start-up every other command would pay for nothing.
 */
const reportBuilder = () => import('../reports/index.js');
type ReportBuilder = Awaited<ReturnType<typeof reportBuilder>>;

/**
 * The report builder, loading while the simulation runs: its ~0.3 s of module
 * loading (vega, vega-lite) then overlaps the workers instead of following
 * them. A failure to load is reported where the builder is awaited.
 */
function preloadReportBuilder(): Promise<ReportBuilder> {
  const loading = reportBuilder();
  loading.catch(() => {});
  return loading;
}

/**
 * charts/NAME.png files in `outDir` beside this report's charts that this run
 * did not write: left from an earlier run with --png, they show older results
 * (output.ts never deletes a file).
 */
async function pngsLeftOver(cwd: string, outDir: string, files: Record<string, unknown>): Promise<string[]> {
  const pngs = Object.keys(files)
    .filter((f) => f.startsWith('charts/') && f.endsWith('.svg'))
    .map((f) => `${f.slice(0, -'.svg'.length)}.png`);
  const found = await Promise.all(pngs.map(async (f) => ((await exists(resolve(cwd, outDir, f))) ? f : null)));
  return found.filter((f): f is string => f !== null);
}

interface ReportOptions extends CommonOptions {
  budget?: number;
  rankingRequests?: number;
  /** Without --ranking-requests, the ranking's requests per replication at most (the demo's DEMO_RANKING_REQUESTS); not an option. */
  rankingAtMost?: number;
  maxCombinations?: number;
  from?: string;
  gate: string;
  png?: boolean;
  profile: string[];
  sensitivity: boolean;
  study: boolean;
  uncertainty?: number;
}

/**
 * Largest results file `--from` reads: a full report's results.json (comparison,
 * sensitivity, a 60-point study) is well under 10 MiB; larger is not ours.
 */
const MAX_RESULTS_BYTES = 64 * 1024 * 1024;

/** What a report writes whatever its charts; --out is checked for these before the work. */
/** The what-if page's scenario and controls, beside results.json: `report --from` draws the same page from it. */
const WHAT_IF_FILE = 'what-if.json';

const REPORT_FILES: readonly string[] = ['results.json', 'results.csv', WHAT_IF_FILE, 'report.md', 'index.html', 'memo.md', 'memo.html'];

/**
 * Requests per replication the demo ranks each option on (at most the
 * scenario's). The ranking has to order the options, not to pin each to
 * ±0.1 pp: on the bundled fintech-underwriting scenario, 4 × 25,000 ranks
 * the 14 options in the same order as 4 × 100,000 (of the 7 what-if bounds,
 * two that tie at +0.6–0.7 pp swap places), with intervals of ±0.0–0.3 pp,
 * at a quarter of the ranking's simulation – which was four fifths of the
 * demo's. `report` ranks on the scenario's own count unless
 * --ranking-requests says otherwise.
 */
export const DEMO_RANKING_REQUESTS = 25_000;

/** Requests per point of the reliability-vs-steps study inside a report (60 points). */
const STUDY_REQUESTS = 4000;

async function readProfile(path: string, cwd: string): Promise<HardwareProfile> {
  const text = await readRegularFile(resolve(cwd, path), 'hardware profile', MAX_PROFILE_BYTES, { shownAs: path });
  try {
    return parseProfile(parseJson(text, 'hardware profile', path), path);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

interface Gathered {
  input: ReportInput | null;
  statuses: ExperimentStatus[];
  /** The charts the comparison and the profiles alone give, drawn while the later steps simulate. */
  drawn?: Promise<DrawnCharts>;
}

/**
 * Runs what a report shows; null when the comparison itself failed. The
 * sensitivity ranking and the study keep resume states of their own beside the
 * comparison's (stepStateFile), so `--resume` reuses whichever steps finished.
 */
async function gather(
  loaded: LoadedScenario,
  reload: (extraSets: string[]) => Promise<LoadedScenario>,
  opts: ReportOptions,
  o: ExperimentOptions,
  given: HardwareProfile[],
  builder: Promise<ReportBuilder>,
): Promise<Gathered> {
  const statuses: ExperimentStatus[] = [];
  const step = (name: string): ExperimentOptions => (o.stateFile ? { ...o, stateFile: stepStateFile(o.stateFile, name) } : o);
  // With --uncertainty: the point comparison, then its draws (compare --uncertainty's own code, experiments/uncertainty.ts).
  const { comparison, status, uncertainty } =
    opts.uncertainty === undefined ? { ...(await compareScenario(loaded, o)), uncertainty: null } : await compareWithUncertainty(loaded, reload, opts.uncertainty, o);
  statuses.push(status);
  // The ranking on its own sample when --ranking-requests differs from the comparison's (the scenario with requests=N, as a draw is).
  const rankingRequests = opts.rankingRequests ?? (opts.rankingAtMost !== undefined ? Math.min(opts.rankingAtMost, loaded.model.requests) : loaded.model.requests);
  const rankingLoaded = async () => (rankingRequests === loaded.model.requests ? loaded : reload([`requests=${rankingRequests}`]));
  const sensitivityStep = async (onFirstResult: () => void = () => {}) => {
    const options = step('sensitivity');
    return computeSensitivity(await rankingLoaded(), {
      ...options,
      onProgress: (done, total) => {
        if (done > 0) onFirstResult();
        options.onProgress?.(done, total);
      },
    });
  };
  const studyStep = () =>
    runSweep(
      { name: 'reliability-vs-steps', study: 'reliability-vs-steps', params: ['perStepReliability', 'steps'], points: reliabilityVsSteps(STUDY_REQUESTS, loaded.model.seed) },
      { ...step('study'), replications: 1 },
    );
  if (o.shard !== undefined) {
    // A shard runs its share of every step; the report is written once the shards are merged.
    if (opts.sensitivity) statuses.push((await sensitivityStep()).status);
    if (opts.study) statuses.push((await studyStep()).status);
    return { input: null, statuses };
  }
  if (comparison === null) return { input: null, statuses };
  const results: ReportResults = {
    comparison,
    scenarioFile: loaded.file,
    scenario: scenarioAbout(loaded.scenario),
    thresholds: comparisonVerdict(loaded, comparison, opts.gate),
    topology: pathTopology(loaded.model),
    ...(uncertainty !== null ? { uncertainty } : {}),
    decisionInputs: scenarioDecisionInputs(loaded, comparison),
  };
  const profiles = (given.length > 0 ? given : loaded.profile ? [loaded.profile] : []).slice(0, 2);
  // The charts the comparison alone gives are drawn once the ranking's tasks are out on the workers – drawn
  // before, they held up the main thread that builds and hands out those tasks, and the workers waited.
  let drawn: Promise<DrawnCharts> | undefined;
  const draw = () => {
    if (drawn) return;
    drawn = builder.then((b) => b.drawCharts(reportInput({ ...results, ...(profiles.length > 0 ? { profiles } : {}) })));
    drawn.catch(() => {}); // buildReport draws a chart that failed here again, and reports it
  };
  if (opts.sensitivity) {
    const s = await sensitivityStep(draw);
    statuses.push(s.status);
    if (s.result) results.sensitivity = s.result;
  }
  draw();
  if (opts.budget !== undefined) {
    // The budgeted portfolio (coordgap portfolio's own code) in the same worker pool and session, with a resume state of its own.
    if (loaded.variants.length < 2)
      results.portfolio = {
        budgetMonthlyUsd: opts.budget,
        notRun: `No portfolio: ${loaded.variants.length === 0 ? 'the scenario has no options' : 'the scenario has one option'} (variants), and a portfolio combines two or more – add variants, each priced with price: { oneOffUsd, engineeringDays, monthlyUsd }.`,
      };
    else {
      const p = await computePortfolio(loaded, step('portfolio'), { budgetUsd: opts.budget, ...(opts.maxCombinations !== undefined ? { maxCombinations: opts.maxCombinations } : {}) });
      statuses.push(p.status);
      if (p.result) results.portfolio = p.result;
    }
  }
  if (opts.study) {
    const sweep = await studyStep();
    statuses.push(sweep.status);
    results.sweep = sweep.summary;
  }
  if (profiles.length > 0) results.profiles = profiles;
  return { input: reportInput(results), statuses, drawn };
}

/**
 * @param defaultOut where the report goes without --out; it gets the scenario's
 *   name as a PathSegment (untrusted-text.ts), never the raw name: with --from the
 *   name comes from a file, and names read back are data, not path parts.
 */
async function report(file: string | undefined, opts: ReportOptions, ctx: CommandContext, defaultOut: (name: PathSegment) => string, announce: boolean): Promise<void> {
  let input: ReportInput | null;
  let statuses: ExperimentStatus[] = [];
  let builderLoading: Promise<ReportBuilder> | undefined;
  let drawn: Promise<DrawnCharts> | undefined;
  // The page's what-if section needs the scenario: `report FILE` writes it to what-if.json, and --from reads it back from beside results.json.
  let whatIf: WhatIfPage | null = null;
  if (opts.from && opts.uncertainty !== undefined)
    throw new UsageError('--uncertainty runs draws of the scenario, and --from runs nothing: a results.json written with --uncertainty re-renders its uncertainty section as it is; leave out one of the two');
  if (opts.from && opts.budget !== undefined)
    throw new UsageError('--budget simulates combinations of the options, and --from runs nothing: a results.json written with --budget re-renders its portfolio section as it is; leave out one of the two');
  if (opts.shard && opts.budget !== undefined)
    throw new UsageError(
      '--budget runs the portfolio search, which cannot be sharded: which combinations it simulates next depends on the ones before; shard the report without --budget, or run it on one machine',
    );
  if (opts.rankingRequests !== undefined && (opts.from || !opts.sensitivity))
    throw new UsageError(
      `--ranking-requests sizes the "what to fix first" ranking, which ${opts.from ? '--from does not run (it re-renders the saved one)' : '--no-sensitivity leaves out'}; leave out one of the two`,
    );
  if (opts.maxCombinations !== undefined && opts.budget === undefined)
    throw new UsageError('--max-combinations bounds the portfolio search, which a report runs only with --budget USD; add --budget, or leave out --max-combinations');
  if (opts.from) {
    const path = resolve(ctx.io.cwd, opts.from);
    const text = await readRegularFile(path, 'results', MAX_RESULTS_BYTES, { shownAs: opts.from });
    const raw = parseJson(text, 'results', opts.from);
    let results: ReportResults;
    try {
      results = parseReportResults(raw, opts.from, VERSION);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (opts.profile.length > 0) results.profiles = await Promise.all(opts.profile.map((p) => readProfile(p, ctx.io.cwd)));
    // The saved arms' checks stand; the gate is this command's.
    if (results.thresholds) {
      try {
        results.thresholds = gateVerdict(opts.gate, results.thresholds.arms, ['baseline', ...results.comparison.variants.map((v) => v.name)]);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }
    input = reportInput(results);
    const whatIfPath = join(dirname(path), WHAT_IF_FILE);
    if (await exists(whatIfPath)) {
      const shown = join(dirname(opts.from), WHAT_IF_FILE);
      try {
        whatIf = parseWhatIfPage(parseJson(await readRegularFile(whatIfPath, 'what-if', MAX_RESULTS_BYTES, { shownAs: shown }), 'what-if', shown), shown);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }
  } else {
    if (!file) throw new UsageError('give a scenario file, or --from results.json');
    const loadOptions = { allowOutside: opts.allowOutside === true };
    const loaded = await ctx.load(file, overrides(opts), loadOptions);
    // A draw is the same file with its drawn values as --set overrides after the caller's own; its warnings were said once already.
    const reload = (extra: string[]) => loadScenarioFile(file, ctx.io.cwd, [...overrides(opts), ...extra], loadOptions);
    validateGate(opts.gate, loaded);
    const options = loaded.variants.length;
    if (opts.maxCombinations !== undefined && options >= 2 && opts.maxCombinations < options)
      throw new UsageError(`--max-combinations ${opts.maxCombinations} is fewer than the ${options} options: a search simulates each option alone first; give at least ${options}`);
    whatIf = whatIfPageInput(loaded, opts.set, VERSION);
    // Everything that can fail without the simulation is checked before it (issue 12.6): the profiles, --out.
    const given = await Promise.all(opts.profile.map((p) => readProfile(p, ctx.io.cwd)));
    const builder = (builderLoading = preloadReportBuilder());
    ({ input, statuses, drawn } = await ctx.experiment('building the report', opts, (o) => gather(loaded, reload, opts, o, given, builder), REPORT_FILES));
  }
  let code = 0;
  if (input !== null) {
    const outDir = opts.out ?? defaultOut(pathSegment(input.comparison.baseline.scenario, 'scenario'));
    const builder = await (builderLoading ?? reportBuilder());
    // The simulated results go to disk before anything is rendered: a chart that fails leaves them for report --from.
    if (!opts.from)
      await writeOutputFiles(ctx.io.cwd, outDir, { ...builder.resultFiles(input), ...(whatIf !== null ? { [WHAT_IF_FILE]: `${JSON.stringify(whatIf, null, 2)}\n` } : {}) }, opts.force === true);
    const png = opts.png === true;
    const built = await builder.buildReport(input, { png, drawn, ...(whatIf !== null ? { whatIf } : {}) });
    const written = await writeOutputFiles(ctx.io.cwd, outDir, built.files, opts.force === true);
    const html = written.find((p) => p.endsWith(built.htmlPath))!;
    const charts = join(dirname(html), 'charts');
    const stalePngs = png ? [] : await pngsLeftOver(ctx.io.cwd, outDir, built.files);
    if (stalePngs.length > 0)
      ctx.writeErr(`note: ${stalePngs.length} PNG(s) in ${charts} are from an earlier run, not this one (e.g. ${stalePngs[0]}); add --png to draw them again\n`);
    if (opts.json) ctx.write(ctx.json({ summary: built.summary, files: written, html, ...(input.thresholds ? { thresholds: input.thresholds } : {}) }));
    else {
      if (announce) ctx.write(formatComparison(input.comparison, { color: ctx.color }) + '\n' + (input.uncertainty ? `${formatUncertainty(input.uncertainty)}\n` : ''));
      ctx.write(`${built.summary}\n\nreport: ${html}\nmemo: ${join(dirname(html), 'memo.md')} (and memo.html): what to buy, and what would change that answer\ncharts: ${charts} – Vega-Lite spec${png ? ', SVG and PNG' : ' and SVG'} of each${png ? '' : ' (add --png for PNGs too)'}\n`);
    }
    if (input.thresholds) code = reportVerdict(input.thresholds, ctx.writeErr);
  }
  for (const s of statuses) code = Math.max(code, experimentExitCode(s, ctx.writeErr, 0));
  ctx.setExitCode(code);
}

function collect(v: string, previous: string[]): string[] {
  return [...previous, v];
}

function reportOptions(cmd: Command, rankingDefault: string): Command {
  return addGateOption(addCommonOptions(cmd, 4))
    .option(
      '--ranking-requests <n>',
      `requests per replication for each option of the "what to fix first" ranking, which then has a baseline of its own (default: ${rankingDefault}); the comparison keeps --requests`,
      positiveInteger('--ranking-requests'),
    )
    .option('--from <results.json>', 're-render a saved results.json instead of running')
    .option('--png', 'also rasterise every chart to PNG (charts/NAME.png, twice the SVG size); report.md then shows the PNGs')
    .option('--profile <profile.json>', 'hardware profile(s) for the hardware charts (one or two)', collect, [])
    .option('--no-sensitivity', 'leave out the "what to fix first" ranking (faster)')
    .option('--no-study', 'leave out the reliability-vs-steps study')
    .option(
      '--budget <usd>',
      'also run the budgeted portfolio (as coordgap portfolio --budget does) and add a "Portfolio" section and charts/portfolio-frontier.*: the best combination of the options for USD a month of extra cost',
      budgetUsd,
    )
    .option('--max-combinations <k>', 'with --budget, beyond 10 options simulate at most K combinations by a bounded search (as coordgap portfolio)', positiveInteger('--max-combinations'))
    .option(
      '--uncertainty <n>',
      "also run N draws of the scenario's uncertainty: parameters (each a paired comparison with its own seed), as compare --uncertainty does, and add a \"Parameter uncertainty\" section: both intervals, P(variant better), and which uncertainty dominates",
      positiveInteger('--uncertainty'),
    );
}

export function registerReport(program: Command, ctx: CommandContext): void {
  reportOptions(program.command('report').argument('[file]', 'scenario file (variants optional: without them, the baseline alone)'), "the scenario's requests")
    .description('compare, rank and write the report: Markdown, self-contained HTML, results, charts (Vega-Lite, SVG; PNG with --png)')
    .action((file: string | undefined, opts: ReportOptions) => report(file, opts, ctx, (name) => join('out', 'report', name), false));

  reportOptions(program.command('demo'), `${DEMO_RANKING_REQUESTS.toLocaleString('en-US')}, or the scenario's requests when fewer`)
    .description('the bundled fintech-underwriting comparison with its full report under out/demo')
    .action((opts: ReportOptions) =>
      report(
        relative(ctx.io.cwd, join(PACKAGE_ROOT, 'scenarios', 'fintech-underwriting.yaml')),
        { ...opts, rankingAtMost: DEMO_RANKING_REQUESTS },
        ctx,
        () => join('out', 'demo'),
        true,
      ),
    );
}
