/**
 * A scenario's pools and a hardware config, combined: the one place that
 * decides which pools a config touches and what it changes there.
 *
 * Every pool has a kind. `cpu`, `gpu`, `external` and `human` are resource
 * kinds a hardware config may describe (servers, speed factor, price per
 * server-hour); `other` is a pool of its own – a rate-limited tool API, a
 * connection pool – that no config touches. A pool without `kind` takes its
 * id when the id is one of the four, else `other`: naming a pool `tools`
 * never makes a CPU config rewrite it (it once counted as CPU and 32 servers
 * became 2).
 *
 * For the pools of a kind it names, a config sets the servers (when it gives
 * them), divides service times by its speed factor and sets the price. A
 * scenario may leave `servers` (and the price) to the config; a value it does
 * declare and the config changes is reported (warnings.ts), since the run no
 * longer simulates what the file says.
 */
import type { PoolKind, PoolModel } from '../path/model.js';
import type { ResolvedHardware } from './hardware-schema.js';
import type { Scenario } from './schema.js';

/** The kinds a hardware config can describe. */
export const HARDWARE_KINDS: readonly PoolKind[] = ['cpu', 'gpu', 'external', 'human'];

/** A pool's kind: the one it declares, else its id when that is a hardware kind, else `other`. */
export function poolKindOf(id: string, declared: PoolKind | undefined): PoolKind {
  return declared ?? (HARDWARE_KINDS.includes(id as PoolKind) ? (id as PoolKind) : 'other');
}

/** What a hardware config does to one pool: each figure as the scenario declared it (undefined: not declared) and as simulated. */
export interface PoolHardwareChange {
  pool: string;
  kind: PoolKind;
  servers: { declared?: number; simulated: number; fromConfig: boolean };
  /** Service times are divided by it (1 when the config gives no factor for the kind). */
  speedFactor: number;
  pricePerHourUsd: { declared?: number; simulated: number; fromConfig: boolean };
}

/** A pool without servers where no config gives them; `path` locates it (compile.ts turns it into a CompileError). */
export class PoolServersMissing extends Error {
  constructor(
    readonly path: (string | number)[],
    message: string,
  ) {
    super(message);
  }
}

/** The pools a config touches and what it sets there, in the scenario's pool order. Empty without a config. */
export function hardwareChanges(s: Scenario, hw: ResolvedHardware | undefined): PoolHardwareChange[] {
  if (hw === undefined) return [];
  const out: PoolHardwareChange[] = [];
  for (const [id, p] of Object.entries(s.pools)) {
    const kind = poolKindOf(id, p.kind);
    if (kind === 'other') continue;
    const config = hw.config.pools[kind];
    const price = hw.config.pricePerHourUsd[kind];
    if (config === undefined && price === undefined) continue;
    const servers = config?.servers ?? p.servers;
    if (servers === undefined) throw new PoolServersMissing(['pools', id, 'servers'], serversMissing(kind, hw));
    out.push({
      pool: id,
      kind,
      servers: { ...(p.servers !== undefined ? { declared: p.servers } : {}), simulated: servers, fromConfig: config?.servers !== undefined },
      speedFactor: config?.speedFactor ?? 1,
      pricePerHourUsd: {
        ...(p.pricePerHourUsd !== undefined ? { declared: p.pricePerHourUsd } : {}),
        simulated: price ?? p.pricePerHourUsd ?? 0,
        fromConfig: price !== undefined,
      },
    });
  }
  return out;
}

function serversMissing(kind: PoolKind, hw: ResolvedHardware | undefined): string {
  if (kind === 'other') return 'missing required key "servers" (a pool of kind other takes its servers from the scenario only)';
  return hw === undefined
    ? `missing required key "servers" (or a hardware config that sets the servers of ${kind} pools)`
    : `missing required key "servers": hardware config "${hw.config.name}" sets none for ${kind} pools`;
}

/**
 * The pools as the model runs them, and each pool's speed factor (what its
 * stages' service times are divided by). Throws PoolServersMissing for a
 * pool whose servers neither the scenario nor the config gives.
 */
export function compilePools(s: Scenario, hw: ResolvedHardware | undefined): { pools: PoolModel[]; speedFactors: number[] } {
  const changes = new Map(hardwareChanges(s, hw).map((c) => [c.pool, c]));
  const pools: PoolModel[] = [];
  const speedFactors: number[] = [];
  for (const [id, p] of Object.entries(s.pools)) {
    const kind = poolKindOf(id, p.kind);
    const c = changes.get(id);
    const servers = c?.servers.simulated ?? p.servers;
    if (servers === undefined) throw new PoolServersMissing(['pools', id, 'servers'], serversMissing(kind, hw));
    const price = c?.pricePerHourUsd.simulated ?? p.pricePerHourUsd ?? 0;
    // A serving table turns each GPU into sequencesPerGpu slots: the pool's servers are slots, priced per slot.
    const serving = (kind === 'other' ? undefined : hw?.config.pools[kind]?.serving) ?? p.serving;
    if (serving === undefined) pools.push({ id, kind, servers, queueCapacity: p.queueCapacity ?? Infinity, pricePerHourUsd: price });
    else {
      const load = serving.load.map((r) => ({ sequences: r.sequences, ttftMs: r.ttft, tpotMs: r.tpot }));
      pools.push({
        id,
        kind,
        servers: servers * serving.sequencesPerGpu,
        queueCapacity: p.queueCapacity ?? Infinity,
        pricePerHourUsd: price / serving.sequencesPerGpu,
        serving: { gpus: servers, sequencesPerGpu: serving.sequencesPerGpu, load },
      });
    }
    // The scenario's own factor (a what-if: a faster machine) on top of the config's for this kind.
    speedFactors.push((c?.speedFactor ?? 1) * (p.speedFactor ?? 1));
  }
  return { pools, speedFactors };
}

const usdPerHour = (x: number) => `$${Number(x.toPrecision(4))}/h`;

/**
 * The declared values a config replaces with different ones, as warnings to
 * place (warnings.ts): the servers and the price the file states are not the
 * ones simulated. `configName` is the config as the scenario names it.
 */
export function declaredOverrides(s: Scenario, hw: ResolvedHardware | undefined, configName: string): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  const keepOut = 'or set kind: other to keep this pool out of hardware configs';
  for (const c of hardwareChanges(s, hw)) {
    const { declared, simulated, fromConfig } = c.servers;
    if (fromConfig && declared !== undefined && declared !== simulated)
      out.push({
        path: ['pools', c.pool, 'servers'],
        message:
          `${declared} declared here, but hardware config ${configName} sets every ${c.kind} pool to ${simulated} server${simulated === 1 ? '' : 's'}, so ${simulated} ${simulated === 1 ? 'is' : 'are'} simulated – ` +
          `delete servers here to take the config's value, ${keepOut}`,
      });
    const price = c.pricePerHourUsd;
    if (price.fromConfig && price.declared !== undefined && price.declared !== price.simulated)
      out.push({
        path: ['pools', c.pool, 'pricePerHourUsd'],
        message:
          `${usdPerHour(price.declared)} declared here, but hardware config ${configName} prices ${c.kind} at ${usdPerHour(price.simulated)} per server, and costs use that – ` +
          `delete pricePerHourUsd here to take the config's price, ${keepOut}`,
      });
  }
  return out;
}
