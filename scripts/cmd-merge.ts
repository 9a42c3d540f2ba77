/**
 * `coordgap merge DIR... --out RESULTS`: joins the directories of a command
 * run with --shard k/N (experiments/shard-merge.ts checks they are one
 * experiment, whole, each task once) into the states a one-machine run would
 * have kept, then runs the shards' command on them with nothing left to
 * simulate (CliIo.replay): it writes into RESULTS exactly the files, and
 * prints exactly what, the command run on one machine with --out RESULTS
 * would – and exits with its code (a failed threshold is still exit 1).
 */
import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { mergeShards } from '../experiments/shard-merge.js';
import { ensureDirectory, readRegularFileIfPresent, replaceFile } from '../experiments/safe-files.js';
import { MAX_STATE_BYTES } from '../experiments/checkpoint.js';
import { UsageError } from '../experiments/usage-error.js';
import { VERSION } from '../experiments/version.js';
import { jsonHelp, type CommandContext } from './command-options.js';

export function registerMerge(program: Command, ctx: CommandContext): void {
  program
    .command('merge')
    .argument('<dirs...>', "the shards' --out directories, one per shard, any order")
    .description('join the shards of a --shard k/N run into the results one machine would write (checks they are one experiment, whole, each task once)')
    .requiredOption('--out <dir>', 'where to write the results, as the command run with --out would')
    .option('--json', jsonHelp(" (the merged command's)"))
    .option('--force', 'allow --out to replace files this tool did not write, or a resume state of another run')
    .action(async (dirs: string[], opts: { out: string; json?: boolean; force?: boolean }) => {
      const merged = await mergeShards(
        dirs.map((d) => ({ path: resolve(ctx.io.cwd, d), shown: d })),
        VERSION,
      );
      const outDir = resolve(ctx.io.cwd, opts.out);
      const files = merged.states.map((s) => ({ name: s.name, text: JSON.stringify(s.state) }));
      for (const f of files) await refuseOtherState(join(outDir, f.name), join(opts.out, f.name), f.text, opts.force === true);
      await ensureDirectory(outDir);
      for (const f of files) await replaceFile(join(outDir, f.name), f.text);
      ctx.writeErr(`coordgap: merged ${merged.shards} shard${merged.shards === 1 ? '' : 's'}, ${merged.tasks} tasks; writing the results of coordgap ${merged.command.join(' ')}\n`);
      const code = await ctx.run([...merged.command, '--out', opts.out, ...(opts.json ? ['--json'] : []), ...(opts.force ? ['--force'] : [])], {
        ...ctx.io,
        replay: { scenarioHash: merged.scenarioHash },
      });
      ctx.setExitCode(code);
    });
}

/**
 * A resume state already in RESULTS is another run's unfinished work unless
 * it is byte for byte the one this merge writes (a merge tried before): it is
 * not replaced without --force.
 */
async function refuseOtherState(path: string, shown: string, text: string, force: boolean): Promise<void> {
  if (force) return;
  const existing = await readRegularFileIfPresent(path, 'resume state', MAX_STATE_BYTES, { shownAs: shown });
  if (existing !== null && existing !== text)
    throw new UsageError(`${shown} is the resume state of another run, kept for its --resume; choose another --out for the merge, or add --force to replace it`);
}
