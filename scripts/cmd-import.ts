/**
 * `coordgap import langgraph FILE --out scenario.yaml`: a LangGraph graph
 * export (the JSON of `graph.get_graph().to_json()` or the Mermaid text of
 * `draw_mermaid()`) as a scenario skeleton (experiments/import-langgraph),
 * and a list of what it assumed. Refuses to replace an existing file unless
 * --force; writes through safe-files.ts (an exclusive temporary file, then
 * rename; never through a link).
 */
import type { Command } from 'commander';
import { dirname, resolve } from 'node:path';
import { importLangGraph } from '../experiments/import-langgraph/index.js';
import { ensureDirectory, readRegularFile, replaceFile } from '../experiments/safe-files.js';
import { UsageError } from '../experiments/usage-error.js';
import { exists } from './output.js';
import type { CommandContext } from './command-options.js';

/** A graph export is a few KiB; 10 MiB is far past any real one and still quick to parse. */
const MAX_EXPORT_BYTES = 10 * 1024 * 1024;

export function registerImport(program: Command, ctx: CommandContext): void {
  const imports = program.command('import').description("turn another tool's pipeline description into a scenario skeleton");
  imports
    .command('langgraph')
    .argument('<file>', 'graph.get_graph().to_json() saved as JSON, or graph.get_graph().draw_mermaid() saved as text')
    .description('LangGraph graph export → scenario skeleton; every value it cannot know is marked "# ASSUMED – measure:"')
    .requiredOption('--out <file>', 'the scenario file to write (YAML)')
    .option('--force', 'replace --out if it exists')
    .action(async (file: string, opts: { out: string; force?: boolean }) => {
      const text = await readRegularFile(resolve(ctx.io.cwd, file), 'LangGraph export', MAX_EXPORT_BYTES, { shownAs: file });
      const { yamlText, notes } = importLangGraph(text, file);
      const target = resolve(ctx.io.cwd, opts.out);
      if (!opts.force && (await exists(target))) throw new UsageError(`refusing to overwrite ${opts.out}; pass --force to replace it or choose another --out`);
      await ensureDirectory(dirname(target));
      await replaceFile(target, yamlText);
      ctx.write(`wrote ${opts.out} from ${file}: the structure is the export's; values marked ASSUMED are placeholders to measure\n`);
      for (const note of notes) ctx.write(`  ${note}\n`);
    });
}
