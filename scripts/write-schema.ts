/**
 * Writes scenarios/scenario.schema.json (draft-07) from the zod scenario
 * schema, so editors that read `# yaml-language-server: $schema=` lines
 * validate and complete scenario files. `--check` exits 1 when the committed
 * file is stale (a test runs it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioJsonSchemaText } from './scenario-json-schema.js';
import { PACKAGE_ROOT } from './version.js';

const target = join(PACKAGE_ROOT, 'scenarios', 'scenario.schema.json');
const text = scenarioJsonSchemaText();
if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== text) {
    process.stderr.write(`${target} is stale; run npm run schema\n`);
    process.exitCode = 1;
  }
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target}\n`);
}
