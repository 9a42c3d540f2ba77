/** `coordgap import langgraph`: writes the skeleton, prints what it assumed, never replaces a file without --force. */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './test-support.js';

const FIXTURE = join(import.meta.dirname, '..', 'experiments', 'import-langgraph', 'fixtures', 'react-agent.json');

describe('coordgap import langgraph', () => {
  it('writes the scenario and lists the assumptions', async () => {
    const dir = tempDir('cg-import-');
    copyFileSync(FIXTURE, join(dir, 'react.json'));
    const r = await runCli(['import', 'langgraph', 'react.json', '--out', 'out/react.yaml'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote out\/react\.yaml from react\.json/);
    expect(r.stdout).toContain(
      "assumed: loop agent-loop (body agent → tools) stops after each iteration with p = 0.5; no limit written: LangGraph's default recursion_limit 10007 supersteps",
    );
    // A loop's limit counts iterations: none is written, and the comment says what the default comes to.
    const yaml = readFileSync(join(dir, 'out', 'react.yaml'), 'utf8');
    expect(yaml).not.toContain('limit: 10007');
    expect(yaml).toContain("atLimit: fail # ASSUMED – measure: the step limit – none written, so LangGraph's default recursion_limit applies");
  });

  it('refuses to overwrite an existing file unless --force', async () => {
    const dir = tempDir('cg-import-');
    copyFileSync(FIXTURE, join(dir, 'react.json'));
    writeFileSync(join(dir, 'mine.yaml'), 'my own work\n');
    const refused = await runCli(['import', 'langgraph', 'react.json', '--out', 'mine.yaml'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('coordgap: refusing to overwrite mine.yaml; pass --force to replace it or choose another --out\n');
    expect(readFileSync(join(dir, 'mine.yaml'), 'utf8')).toBe('my own work\n');
    const forced = await runCli(['import', 'langgraph', 'react.json', '--out', 'mine.yaml', '--force'], dir);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'mine.yaml'), 'utf8')).toContain('agent-loop');
  });

  it('a malformed export: the positioned error, exit 2, nothing written', async () => {
    const dir = tempDir('cg-import-');
    writeFileSync(join(dir, 'g.mmd'), 'graph TD;\n\t__start__ --> agent;\n\tagent ==> tools;\n');
    const r = await runCli(['import', 'langgraph', 'g.mmd', '--out', 's.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^coordgap: g\.mmd:3:2: "agent ==> tools;" is not a line of a draw_mermaid\(\) export/);
    expect(existsSync(join(dir, 's.yaml'))).toBe(false);
  });
});
