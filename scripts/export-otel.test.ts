/**
 * `coordgap run FILE --export-otel spans.jsonl`: the file holds the sampled
 * requests of the run's own seed, an existing file is refused before the run
 * (exit 2, nothing changed) unless --force, and stdout stays the run's alone.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, tinyScenario } from './test-support.js';

describe('run --export-otel', () => {
  it('writes one trace per sampled request, refuses to overwrite without --force, and leaves stdout to the run', async () => {
    const dir = tempDir('coordgap-export-otel-');
    writeFileSync(join(dir, 'x.yaml'), tinyScenario(''));
    const plain = await runCli(['run', 'x.yaml', '--json'], dir);
    const run = await runCli(['run', 'x.yaml', '--json', '--export-otel', 'traces/spans.jsonl', '--export-otel-requests', '10'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(plain.stdout);
    expect(run.stderr).toContain('wrote 10 requests (20 spans) to traces/spans.jsonl as OTLP JSON');
    const text = readFileSync(join(dir, 'traces', 'spans.jsonl'), 'utf8');
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(10);
    expect(lines[0].resourceSpans[0].scopeSpans[0].spans.map((s: { name: string }) => s.name)).toEqual(['invoke_agent x', 'a']);

    const again = await runCli(['run', 'x.yaml', '--export-otel', 'traces/spans.jsonl'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('refusing to overwrite traces/spans.jsonl; pass --force to replace it or choose another file');
    expect(again.stdout).toBe('');
    expect(readFileSync(join(dir, 'traces', 'spans.jsonl'), 'utf8')).toBe(text);

    const seeded = await runCli(['run', 'x.yaml', '--seed', '2', '--export-otel', 'traces/spans.jsonl', '--export-otel-requests', '10', '--force'], dir);
    expect(seeded.code).toBe(0);
    const reseeded = readFileSync(join(dir, 'traces', 'spans.jsonl'), 'utf8');
    expect(reseeded.split('\n')).toHaveLength(11);
    expect(reseeded).not.toBe(text);
  });
});
