/**
 * `coordgap draw`: writes pipeline.svg and pipeline.png, refuses a bad
 * scenario (exit 2) and a user's file in --out; and the report carries the
 * picture's topology in results.json, so `report --from` draws it again –
 * and says plainly when a results file has none. Needs `npm run build`
 * (the runs go to workers loaded from dist/ when large enough).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir, tinyScenario } from './test-support.js';

/** A router, a loop with a limit and an escalation: a graph worth drawing, small enough to simulate in a test. */
const GRAPH = `name: small-graph
seed: 2
requests: 400
arrivals: { kind: poisson, rate: 10/s }
pools:
  cpu: { servers: 64 }
  people: { kind: human, servers: 2 }
escalation: { pool: people, handlingTime: 1s }
stages:
  - { id: router, pool: cpu, latency: 1ms, faults: { error: 0.02 } }
  - { id: rag, pool: cpu, latency: 1ms, faults: { error: 0.05 }, escalate: true }
  - { id: plan, pool: cpu, latency: 1ms, faults: { error: 0.02 } }
  - { id: act, pool: cpu, latency: 1ms, faults: { error: 0.1 } }
graph:
  start: router
  nodes:
    react: { loop: { body: [plan, act], iterations: { stop: 0.3 }, limit: 5, atLimit: fail } }
  next:
    router: { route: { rag: 0.5, react: 0.5 } }
`;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('coordgap draw', () => {
  it('writes pipeline.svg and pipeline.png and says where; exit 0', async () => {
    const dir = tempDir('cg-draw-');
    writeFileSync(join(dir, 'g.yaml'), GRAPH);
    const r = await runCli(['draw', 'g.yaml', '--out', 'pic'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\S+ is where \d+ % of failures start\n/);
    expect(r.stdout).toContain(`picture: ${join(dir, 'pic', 'pipeline.svg')}, ${join(dir, 'pic', 'pipeline.png')}\n`);
    const svg = readFileSync(join(dir, 'pic', 'pipeline.svg'), 'utf8');
    for (const id of ['router', 'rag', 'react', 'plan', 'act', 'human']) expect(svg).toContain(`data-id="${id}"`);
    expect(svg).toMatch(/each of the \d+ of 400 requests that did not succeed/);
    expect(readFileSync(join(dir, 'pic', 'pipeline.png')).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('a chain, --requests and --seed as other commands take them, --json names the files', async () => {
    const dir = tempDir('cg-draw-');
    writeFileSync(join(dir, 's.yaml'), tinyScenario(''));
    const r = await runCli(['draw', 's.yaml', '--out', 'o', '--requests', '30', '--seed', '9', '--no-png', '--json'], dir);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { files: string[]; requests: number; seed: number | string };
    expect(doc.files).toEqual([join(dir, 'o', 'pipeline.svg')]);
    expect([doc.requests, String(doc.seed)]).toEqual([30, '9']);
    expect(existsSync(join(dir, 'o', 'pipeline.png'))).toBe(false);
  });

  it('a bad scenario: the positioned error, exit 2, nothing written', async () => {
    const dir = tempDir('cg-draw-');
    writeFileSync(join(dir, 'bad.yaml'), GRAPH.replace('rag: 0.5, react: 0.5', 'rag: 0.5, reactt: 0.5'));
    const r = await runCli(['draw', 'bad.yaml', '--out', 'pic'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+/);
    expect(r.stderr).toContain('reactt');
    expect(existsSync(join(dir, 'pic'))).toBe(false);
  });

  it("refuses to overwrite a pipeline.svg it did not write, before simulating; --force replaces it", async () => {
    const mine = tempDir('cg-draw-');
    writeFileSync(join(mine, 's.yaml'), tinyScenario(''));
    writeFileSync(join(mine, 'pipeline.svg'), 'my drawing\n');
    const refused = await runCli(['draw', 's.yaml', '--out', '.'], mine);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pipeline.svg');
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(join(mine, 'pipeline.svg'), 'utf8')).toBe('my drawing\n');
    const forced = await runCli(['draw', 's.yaml', '--out', '.', '--force'], mine);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(mine, 'pipeline.svg'), 'utf8')).toMatch(/^<svg /);
  });
});

describe('the picture in `coordgap report`', () => {
  it('report writes charts/pipeline.svg and keeps the topology in results.json; report --from draws it again', async () => {
    const dir = tempDir('cg-draw-report-');
    writeFileSync(join(dir, 'g.yaml'), GRAPH);
    const r = await runCli(['report', 'g.yaml', '--out', 'rep', '--no-sensitivity', '--no-study'], dir);
    expect(r.code).toBe(0);
    const svg = readFileSync(join(dir, 'rep', 'charts', 'pipeline.svg'), 'utf8');
    expect(readFileSync(join(dir, 'rep', 'report.md'), 'utf8')).toContain('](charts/pipeline.svg)');
    const results = JSON.parse(readFileSync(join(dir, 'rep', 'results.json'), 'utf8')) as { topology?: { nodes: { id: string }[] } };
    expect(results.topology?.nodes.map((n) => n.id)).toEqual(['start', 'router', 'rag', 'plan', 'act', 'react', 'end', 'human']);
    const again = await runCli(['report', '--from', join('rep', 'results.json'), '--out', 'again'], dir);
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, 'again', 'charts', 'pipeline.svg'), 'utf8')).toBe(svg);
  });

  it('report --from a results file without a topology: no picture, and the report says why', async () => {
    const dir = tempDir('cg-draw-report-');
    writeFileSync(join(dir, 's.yaml'), tinyScenario('variants: [{ name: more, kind: compute, patch: { pools: { cpu: { servers: 4 } } } }]'));
    const compared = await runCli(['compare', 's.yaml', '--json'], dir);
    expect(compared.code).toBe(0);
    writeFileSync(join(dir, 'compare.json'), compared.stdout);
    const r = await runCli(['report', '--from', 'compare.json', '--out', 'rep'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(existsSync(join(dir, 'rep', 'charts', 'pipeline.svg'))).toBe(false);
    expect(readFileSync(join(dir, 'rep', 'report.md'), 'utf8')).toContain('No pipeline picture');
  });
});
