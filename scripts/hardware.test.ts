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

/** Servers from the hardware config unless `cpu` says otherwise. */
const scenario = (latency: string, hardware = 'a.yaml', cpu = '{}') => `name: hw
requests: 200
arrivals: { kind: fixed, interval: 1s }
hardware: ${hardware}
pools:
  cpu: ${cpu}
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

describe('what a hardware config may change', () => {
  /** A GPU pool declared with 8 servers, a tool pool named `tools`, and CPU servers left to the config. */
  const pools = (tools = '{ servers: 32 }') => `name: kinds
requests: 100
arrivals: { kind: fixed, interval: 1s }
hardware: gpu1.yaml
pools:
  cpu: {}
  gpu: { servers: 8 }
  tools: ${tools}
stages:
  - { id: plan, pool: cpu, latency: 14ms }
  - { id: infer, pool: gpu, latency: 100ms }
  - { id: search, pool: tools, latency: 50ms }
`;

  beforeAll(() => {
    writeFileSync(join(dir, 'gpu1.yaml'), 'name: gpu1\npools: { cpu: { servers: 2, speedFactor: 1.4 }, gpu: { servers: 1 } }\npricePerHourUsd: { cpu: 0.05, gpu: 1 }\n');
  });

  it('a declared gpu: { servers: 8 } the config sets to 1 is a warning; a pool named tools is not the config\'s; validate lists every change', async () => {
    writeFileSync(join(dir, 'k.yaml'), pools());
    const v = await cli(['validate', 'k.yaml']);
    expect(v.code).toBe(0);
    expect(v.stderr).toBe(
      'k.yaml:7:19 warning: pools.gpu.servers: 8 declared here, but hardware config gpu1.yaml sets every gpu pool to 1 server, so 1 is simulated – ' +
        "delete servers here to take the config's value, or set kind: other to keep this pool out of hardware configs\n",
    );
    expect(v.stdout).toBe(
      'k.yaml: valid – 3 stages, 3 pools, 100 requests\n' +
        '  gpu1.yaml: pool cpu servers unset → 2, speed ×1.4, price unset → $0.05/h\n' +
        '  gpu1.yaml: pool gpu servers 8 → 1, speed ×1, price unset → $1/h\n',
    );
    const r = JSON.parse((await cli(['run', 'k.yaml', '--json', '--threads', '1'])).stdout);
    expect(r.pools.map((p: { id: string; servers: number }) => [p.id, p.servers])).toEqual([['cpu', 2], ['gpu', 1], ['tools', 32]]);
    // Speed ×1.4 on the cpu pool only: 14 ms → 10 ms there, the tool call's 50 ms untouched (constant latencies, no queueing).
    expect(r.latencyMs.mean).toBeCloseTo(10 + 100 + 50, 9);
    expect(r.warnings.map((w: { code: string; path: string }) => [w.code, w.path])).toEqual([['hardware-overrides-scenario', 'pools.gpu.servers']]);
  });

  it('a pool that says kind: cpu is the config\'s like any cpu pool; a declared price it replaces is a warning too', async () => {
    writeFileSync(join(dir, 'k.yaml'), pools('{ kind: cpu, servers: 32, pricePerHourUsd: 0.4 }'));
    const v = await cli(['validate', 'k.yaml']);
    expect(v.stderr.split('\n').filter((l) => l !== '')).toEqual([
      expect.stringMatching(/^k\.yaml:7:19 warning: pools\.gpu\.servers: /),
      'k.yaml:8:32 warning: pools.tools.servers: 32 declared here, but hardware config gpu1.yaml sets every cpu pool to 2 servers, so 2 are simulated – ' +
        "delete servers here to take the config's value, or set kind: other to keep this pool out of hardware configs",
      'k.yaml:8:53 warning: pools.tools.pricePerHourUsd: $0.4/h declared here, but hardware config gpu1.yaml prices cpu at $0.05/h per server, and costs use that – ' +
        "delete pricePerHourUsd here to take the config's price, or set kind: other to keep this pool out of hardware configs",
    ]);
    expect(v.stdout).toMatch(/^ {2}gpu1\.yaml: pool tools \(kind cpu\) servers 32 → 2, speed ×1\.4, price \$0\.4\/h → \$0\.05\/h$/m);
  });

  it('a pool without servers that no config gives them is an error saying what to write', async () => {
    writeFileSync(join(dir, 'k.yaml'), pools('{}'));
    const r = await cli(['validate', 'k.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('k.yaml:8:10 pools.tools.servers: missing required key "servers" (a pool of kind other takes its servers from the scenario only)\n');
    writeFileSync(join(dir, 'k.yaml'), pools().replace('hardware: gpu1.yaml\n', ''));
    expect((await cli(['validate', 'k.yaml'])).stderr).toBe(
      'k.yaml:5:8 pools.cpu.servers: missing required key "servers" (or a hardware config that sets the servers of cpu pools)\n',
    );
  });
});

describe('files a scenario names', () => {
  it('must lie beside it unless --allow-outside', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'coordgap-outside-'));
    writeFileSync(join(outside, 'h.yaml'), 'name: h\n');
    const inner = mkdtempSync(join(tmpdir(), 'coordgap-inner-'));
    writeFileSync(join(inner, 's.yaml'), scenario('5ms', join(outside, 'h.yaml'), '{ servers: 1 }').replace(/variants:[\s\S]*/, ''));
    const refused = await runCli(['validate', join(inner, 's.yaml')], inner);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/hardware config ".*h\.yaml" is outside the scenario's directory .* pass --allow-outside/);
    const allowed = await runCli(['validate', join(inner, 's.yaml'), '--allow-outside'], inner);
    expect(allowed.code).toBe(0);
  });
});
