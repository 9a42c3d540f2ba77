/**
 * `coordgap memo FILE`: the decision memo alone – which option to buy, or to
 * keep as is, and what would change that answer (reports/memo.ts on
 * sim/experiment decide). It runs the comparison exactly as `compare` does
 * (same seeds and replications, so every figure is compare's), prints the
 * memo, `--json` the decision; with --out it writes memo.md, memo.html and the
 * comparison's results.json/.csv (which `report --from` renders in full).
 */
import type { Command } from 'commander';
import { compareScenario } from '../experiments/experiments.js';
import { reportInput, scenarioDecisionInputs } from '../experiments/report-input.js';
import { addCommonOptions, overrides, RESULT_FILES, type CommandContext, type CommonOptions } from './command-options.js';
import { experimentExitCode } from './cli-support.js';
import { writeOutputFiles } from './output.js';
import { textTable } from './text-table.js';
import { memo, memoText, type Memo } from '../reports/memo.js';
import { scenarioAbout } from '../reports/about.js';
import { pathTopology } from '../sim/path/index.js';
import type { ReportResults } from '../reports/index.js';

/** What `memo --out` writes. */
const MEMO_FILES: readonly string[] = [...RESULT_FILES, 'memo.md', 'memo.html'];

/** The memo's table in the terminal: caption, aligned columns, the note. */
function tableText(m: Memo): string {
  if (!m.table) return '';
  const t = m.table;
  return `\n${t.caption}\n${textTable([t.columns.map((c) => c.label), ...t.rows]).join('\n')}\n${t.note ? `  ${t.note}\n` : ''}`;
}

export function registerMemo(program: Command, ctx: CommandContext): void {
  addCommonOptions(program.command('memo').argument('<file>', 'scenario file with variants (and their prices)'), 4)
    .description("the decision memo: which option to buy (or keep as is) at the scenario's traffic and prices, and what would change that answer")
    .action(async (file: string, opts: CommonOptions) => {
      const loaded = await ctx.load(file, overrides(opts), { allowOutside: opts.allowOutside === true });
      const { comparison, status, missing } = await ctx.experiment('comparing', opts, (o) => compareScenario(loaded, o), MEMO_FILES);
      if (comparison !== null) {
        const results: ReportResults = {
          comparison,
          scenarioFile: loaded.file,
          scenario: scenarioAbout(loaded.scenario),
          topology: pathTopology(loaded.model),
          decisionInputs: scenarioDecisionInputs(loaded, comparison),
        };
        const input = reportInput(results);
        const m = memo(input);
        if (opts.out) {
          // The page writers (and the report's result files) load only when there are files to write.
          const [{ memoMarkdownFile, memoPage }, { resultFiles }, { provenance }] = await Promise.all([
            import('../reports/memo-render.js'),
            import('../reports/index.js'),
            import('../reports/summary.js'),
          ]);
          const files = { ...resultFiles(input), 'memo.md': memoMarkdownFile(m, provenance(input)), 'memo.html': memoPage(m, provenance(input)) };
          await writeOutputFiles(ctx.io.cwd, opts.out, files, opts.force === true);
        }
        ctx.write(opts.json ? ctx.json(input.figures.decision!) : `${memoText(m)}${tableText(m)}`);
        if (missing.length > 0) ctx.writeErr(`coordgap: left out for failed or interrupted runs: ${missing.join(', ')}\n`);
      }
      ctx.setExitCode(experimentExitCode(status, ctx.writeErr, 0));
    });
}
