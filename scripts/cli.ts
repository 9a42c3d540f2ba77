#!/usr/bin/env node
/** The `coordgap` executable. */
import { main } from './main.js';

// A reader that stops early (`coordgap compare … | head`) closes the pipe: the rest of the output has
// nowhere to go, which is no error of ours – end quietly, as cat and grep do, instead of an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: process.stdout.isTTY === true,
  cwd: process.cwd(),
});
process.exitCode = code;
