/**
 * Writes scenarios/scenario.schema.json and hardware.schema.json (draft-07)
 * from the zod schemas, so editors that read `# yaml-language-server: $schema=` lines
 * validate and complete scenario files. `--check` exits 1 when the committed
 * file is stale (a test runs it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioJsonSchemaText, hardwareJsonSchemaText } from './scenario-json-schema.js';
import { PACKAGE_ROOT } from '../experiments/version.js';

const files: [string, string][] = [
  [join(PACKAGE_ROOT, 'scenarios', 'scenario.schema.json'), scenarioJsonSchemaText()],
  [join(PACKAGE_ROOT, 'scenarios', 'hardware.schema.json'), hardwareJsonSchemaText()],
];
for (const [target, text] of files) {
  if (process.argv.includes('--check')) {
    if (readFileSync(target, 'utf8') !== text) {
      process.stderr.write(`${target} is stale; run npm run schema\n`);
      process.exitCode = 1;
    }
  } else {
    writeFileSync(target, text);
    process.stdout.write(`wrote ${target}\n`);
  }
}
