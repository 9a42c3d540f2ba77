/**
 * `coordgap validate FILE`: parse, check and compile a scenario and its
 * variants, print the warnings and what each hardware config changes; runs
 * nothing, writes nothing.
 */
import type { Command } from 'commander';
import { hardwareChanges } from '../sim/scenario/index.js';
import type { GraphModel } from '../sim/path/index.js';
import { formatHardwareChanges } from '../experiments/hardware.js';
import { collect, jsonHelp, type CommandContext } from './command-options.js';
import { llmValidateJson, llmValidateLines } from './validate-llm.js';

export function registerValidate(program: Command, ctx: CommandContext): void {
  program
    .command('validate')
    .argument('<file>', 'scenario file (YAML or JSON)')
    .description('check a scenario, print its errors and warnings, change nothing')
    .option('--set <path=value>', 'override a scenario field (repeatable)', collect, [])
    .option('--allow-outside', "let the scenario name files outside its own directory")
    .option('--json', jsonHelp(': what was checked, and the warnings'))
    .action(async (file: string, opts: { set: string[]; allowOutside?: boolean; json?: boolean }) => {
      const loaded = await ctx.load(file, opts.set, { allowOutside: opts.allowOutside === true });
      const v = loaded.variants.length;
      // What each hardware config changes: the baseline's, and each variant's own when it names another.
      const arms = [
        { arm: 'baseline', scenario: loaded.scenario, hardware: loaded.hardware },
        ...loaded.variants.map((x, i) => ({ arm: `variants[${i}] (${x.name})`, scenario: x.scenario, hardware: x.hardware })),
      ].filter((a, i) => a.scenario.hardware !== undefined && (i === 0 || a.scenario.hardware !== loaded.scenario.hardware));
      const hardware = arms.map((a) => ({ arm: a.arm, config: a.scenario.hardware!, pools: hardwareChanges(a.scenario, a.hardware) }));
      if (opts.json) {
        const llm = llmValidateJson(loaded.model);
        ctx.write(ctx.json({ file, valid: true, stages: loaded.model.stages.length, pools: loaded.model.pools.length, requests: loaded.model.requests, variants: v, hardware, ...llm }));
        return;
      }
      ctx.write(
        `${file}: valid – ${loaded.model.stages.length} stages, ${loaded.model.pools.length} pools, ${loaded.model.requests} requests` +
          (v > 0 ? `, ${v} variant${v === 1 ? '' : 's'}` : '') +
          graphSummary(loaded.model.graph) +
          '\n',
      );
      for (const line of llmValidateLines(loaded.model)) ctx.write(`  ${line}\n`);
      for (const h of hardware) for (const line of formatHardwareChanges(h.config, h.pools)) ctx.write(`  ${h.arm === 'baseline' ? '' : `${h.arm}: `}${line}\n`);
    });
}

/** ", a graph: 1 loop (react), 1 map (docs)" – what a graph's composite nodes are; '' for a chain. */
function graphSummary(graph: GraphModel | undefined): string {
  if (graph === undefined) return '';
  const kinds = new Map<string, string[]>();
  for (const c of graph.composites) kinds.set(c.kind, [...(kinds.get(c.kind) ?? []), c.id]);
  const parts = [...kinds].map(([kind, ids]) => `${ids.length} ${kind}${ids.length === 1 ? '' : 's'} (${ids.join(', ')})`);
  const routers = graph.next.filter((s) => s.targets.length > 1).length;
  if (routers > 0) parts.unshift(`${routers} router${routers === 1 ? '' : 's'}`);
  return `; a graph${parts.length > 0 ? ': ' + parts.join(', ') : ''}`;
}
