import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureProfile } from '../bench/profile-fixture.js';
import { runCli } from './test-support.js';


let dir: string;
function cli(args: string[]) {
  return runCli(args, dir);
}

const scenario = (latency: string, hardware = 'a.yaml') => `name: hw
requests: 200
arrivals: { kind: fixed, interval: 1s }
hardware: ${hardware}
pools:
  cpu: { servers: 1 }
stages:
  - id: search
    pool: cpu
    latency: ${latency}
variants:
  - { name: machine-b, kind: compute, patch: { hardware: b.yaml } }
  - { name: declared-2x, kind: compute, patch: { hardware: c.yaml } }
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'coordgap-hw-'));
  // Two measured machines: the BM25 kernel takes 2 ms on A and 4 ms on B.
  writeFileSync(join(dir, 'a.json'), JSON.stringify(fixtureProfile('machine-a', { 'retrieval.bm25': [2, 2, 2] })));
  writeFileSync(join(dir, 'b.json'), JSON.stringify(fixtureProfile('machine-b', { 'retrieval.bm25': [4, 4, 4] })));
  writeFileSync(join(dir, 'a.yaml'), 'name: a\nprofile: a.json\npools: { cpu: { servers: 1 } }\npricePerHourUsd: { cpu: 3.6 }\n');
  writeFileSync(join(dir, 'b.yaml'), 'name: b\nprofile: b.json\npools: { cpu: { servers: 1 } }\npricePerHourUsd: { cpu: 3.6 }\n');
  // Declared, not measured: twice as fast as A (whose profile it borrows), four servers.
  writeFileSync(join(dir, 'c.yaml'), 'name: c\npools: { cpu: { servers: 4, speedFactor: 2 } }\npricePerHourUsd: { cpu: 7.2 }\n');
});

describe('hardware configs and measured kernels', () => {
  it('a kernel latency takes calls × the measured time + overhead; switching configs changes it by the measured ratio', async () => {
    writeFileSync(join(dir, 's.yaml'), scenario('{ kernel: retrieval.bm25, calls: 3, overhead: 1ms }'));
    const r = await cli(['compare', 's.yaml', '--json', '--threads', '1', '--replications', '1']);
    expect(r.stderr).toBe('');
    const c = JSON.parse(r.stdout);
    // No queueing (1 s between arrivals): latency is the service time itself.
    expect(c.baseline.latencyMs.mean).toBeCloseTo(3 * 2 + 1, 9);
    const b = c.variants.find((v: { name: string }) => v.name === 'machine-b').result;
    expect(b.latencyMs.mean).toBeCloseTo(3 * 4 + 1, 9);
    // The declared config divides service times by its speed factor and sets servers and price.
    const d = c.variants.find((v: { name: string }) => v.name === 'declared-2x').result;
    expect(d.latencyMs.mean).toBeCloseTo((3 * 2 + 1) / 2, 9);
    expect(d.pools[0].servers).toBe(4);
    // Compute cost: busy seconds × price per server-second (3.6 $/h = 0.001 $/s; 7.2 $/h = 0.002 $/s).
    expect(c.baseline.costUsd.breakdown.compute).toBeCloseTo(200 * 0.007 * 0.001, 12);
    expect(d.costUsd.breakdown.compute).toBeCloseTo(200 * 0.0035 * 0.002, 12);
  });

  it('an unknown kernel is a positioned error naming the known ones', async () => {
    writeFileSync(join(dir, 's.yaml'), scenario('{ kernel: retrieval.bm26 }'));
    const r = await cli(['validate', 's.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^s\.yaml:10:24 stages\[0\]\.latency\.kernel: kernel "retrieval\.bm26" is not in hardware profile "machine-a"; known kernel ids: retrieval\.bm25/m);
  });

  it('a kernel latency without a measured profile is an error that says what to do', async () => {
    writeFileSync(join(dir, 's.yaml'), scenario('{ kernel: retrieval.bm25 }', 'c.yaml').replace(/variants:[\s\S]*/, ''));
    const r = await cli(['validate', 's.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stages\[0\]\.latency: latency names kernel "retrieval\.bm25", but no hardware profile is available/);
  });

  it('a bad hardware config points into the config file', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'name: bad\npools: { cpu: { servers: 1, sped: 2 } }\n');
    writeFileSync(join(dir, 's.yaml'), scenario('5ms', 'bad.yaml').replace(/variants:[\s\S]*/, ''));
    const r = await cli(['validate', 's.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bad\.yaml:2:29 pools\.cpu\.sped: unknown key "sped"/m);
  });
});

describe('files a scenario names', () => {
  it('must lie beside it unless --allow-outside', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'coordgap-outside-'));
    writeFileSync(join(outside, 'h.yaml'), 'name: h\n');
    const inner = mkdtempSync(join(tmpdir(), 'coordgap-inner-'));
    writeFileSync(join(inner, 's.yaml'), scenario('5ms', join(outside, 'h.yaml')).replace(/variants:[\s\S]*/, ''));
    const refused = await runCli(['validate', join(inner, 's.yaml')], inner);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/hardware config ".*h\.yaml" is outside the scenario's directory .* pass --allow-outside/);
    const allowed = await runCli(['validate', join(inner, 's.yaml'), '--allow-outside'], inner);
    expect(allowed.code).toBe(0);
  });
});
