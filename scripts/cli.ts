#!/usr/bin/env node
/** The `coordgap` executable. */
import { main } from './main.js';

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: process.stdout.isTTY === true,
  cwd: process.cwd(),
});
process.exitCode = code;
