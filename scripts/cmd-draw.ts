/**
 * `coordgap draw FILE --out DIR`: the pipeline picture alone (issue 14) –
 * the scenario's graph with where its failed requests first went wrong,
 * from a simulation of the baseline (experiments runScenario, the same run
 * as `coordgap run`) – as pipeline.svg and pipeline.png. The report shows
 * the same picture with its "fix first" marked (reports/pipeline-figure.ts);
 * draw runs no ranking, so it marks none.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { loadScenarioFile } from '../experiments/load-scenario.js';
import { runScenario } from '../experiments/experiments.js';
import { pathSegment } from '../experiments/untrusted-text.js';
import { pathTopology } from '../sim/path/index.js';
import { atLeastOne, collect, jsonHelp, overrides, positiveInteger, threadCount, type CommandContext, type CommonOptions } from './command-options.js';
import { experimentExitCode } from './cli-support.js';
import { writeOutputFiles } from './output.js';

/**
 * Requests draw simulates unless --requests says otherwise (fewer when the
 * scenario asks for fewer): the shares of a leak of 5 % of 20,000 requests
 * are within about ±1 percentage point (95 % Wilson interval), enough to see
 * where a pipeline bleeds, in a fraction of a full run's time.
 */
export const DRAW_REQUESTS = 20_000;

const SVG_FILE = 'pipeline.svg';
const PNG_FILE = 'pipeline.png';

interface DrawOptions {
  out?: string;
  force?: boolean;
  png: boolean;
  seed?: string;
  requests?: number;
  threads?: number;
  set: string[];
  json?: boolean;
  allowOutside?: boolean;
  maxEvents?: number;
  maxMemoryMb?: number;
}

/** The picture's modules (ELK, resvg) load only when a picture is drawn, as the report's do. */
const pictureModules = () => Promise.all([import('../reports/graph/index.js'), import('../reports/graph/from-results.js')]);

async function draw(file: string, opts: DrawOptions, ctx: CommandContext): Promise<void> {
  const given: CommonOptions = { ...opts, replications: 1 };
  const sets = overrides(given);
  const options = { allowOutside: opts.allowOutside === true };
  let loaded = await ctx.load(file, sets, options);
  // The scenario's own count is for its comparisons; the picture needs fewer (DRAW_REQUESTS). Its warnings were printed by the load above.
  if (opts.requests === undefined && loaded.model.requests > DRAW_REQUESTS) loaded = await loadScenarioFile(file, ctx.io.cwd, [...sets, `requests=${DRAW_REQUESTS}`], options);
  const out = opts.out ?? join('out', 'draw', pathSegment(loaded.model.name, 'scenario'));
  const names = opts.png ? [SVG_FILE, PNG_FILE] : [SVG_FILE];
  const modules = pictureModules();
  modules.catch(() => {}); // loading while the baseline runs; awaited below
  const { result, status } = await ctx.experiment('simulating the baseline', { ...given, out }, (o) => runScenario(loaded, o), names);
  if (result !== null) {
    const [{ drawPipelineSvg, drawPipelinePng }, { pipelineDrawing }] = await modules;
    const drawing = pipelineDrawing(pathTopology(loaded.model), result, { scenarioFile: file });
    const svg = await drawPipelineSvg(drawing);
    const files: Record<string, string | Buffer> = { [SVG_FILE]: svg };
    if (opts.png) files[PNG_FILE] = await drawPipelinePng(svg);
    const written = await writeOutputFiles(ctx.io.cwd, out, files, opts.force === true);
    if (opts.json) ctx.write(ctx.json({ title: drawing.title, files: written, requests: result.requests, seed: result.seed }));
    else ctx.write(`${drawing.title}\n${drawing.subtitle ?? ''}\n\npicture: ${written.join(', ')}\n`);
  }
  ctx.setExitCode(experimentExitCode(status, ctx.writeErr, 0));
}

export function registerDraw(program: Command, ctx: CommandContext): void {
  program
    .command('draw')
    .argument('<file>', 'scenario file (YAML or JSON)')
    .description("draw the pipeline: the scenario's graph, each node and hand-off shaded by its share of failed requests' first faults (simulates the baseline)")
    .option('--out <dir>', 'where pipeline.svg and pipeline.png go (default: out/draw/<scenario name>)')
    .option('--force', 'allow --out to replace files this tool did not write')
    .option('--no-png', 'write pipeline.svg only')
    .option('--seed <n>', 'override the scenario seed')
    .option('--requests <n>', `requests to simulate (default: the scenario's, at most ${DRAW_REQUESTS.toLocaleString('en-US')})`, positiveInteger('--requests'))
    .option('--set <path=value>', 'override a scenario field (repeatable), e.g. stages.retrieval.faults.error=0.1', collect, [])
    .option('--threads <t>', 'worker threads (default: by the work)', threadCount)
    .option('--json', jsonHelp())
    .option('--allow-outside', 'let the scenario name files outside its own directory')
    .option('--max-events <n>', 'events the run may take; a run estimated above is refused (default: limits.maxEvents, 2e9)', atLeastOne('--max-events'))
    .option('--max-memory-mb <mb>', 'memory the run may use, MB (default: limits.maxMemoryMb, 1500)', atLeastOne('--max-memory-mb'))
    .action((file: string, opts: DrawOptions) => draw(file, opts, ctx));
}
