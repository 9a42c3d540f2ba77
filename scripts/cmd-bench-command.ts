/**
 * `coordgap bench …`: registers the command and hands its arguments to the
 * bench CLI (cmd-bench.ts), loaded only when the command runs – its
 * measurement code is not needed by any other command.
 */
import type { Command } from 'commander';
import type { CommandContext } from './command-options.js';

export function registerBench(program: Command, ctx: CommandContext, argv: readonly string[], streams: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): void {
  program
    .command('bench')
    .description('CPU microbenchmarks → hardware profile JSON (`bench compare A.json B.json` to compare machines)')
    .allowUnknownOption()
    .helpOption(false)
    .argument('[args...]')
    .action(async () => {
      const at = argv.indexOf('bench');
      // Loaded on use, like the report builder (cmd-report.ts).
      const { benchMain } = await import('./cmd-bench.js');
      ctx.setExitCode(await benchMain(argv.slice(at) as string[], { stdout: streams.stdout, stderr: streams.stderr, progress: ctx.io.stderr, isTTY: ctx.io.isTTY }));
    });
}
