/** Human-readable summary of a profile, as lines. Pure; scripts/cmd-bench.ts prints it. */
import { formatDuration, formatRate, formatRatio, pad } from './format.js';
import type { HardwareProfile } from './profile.js';

/** Table of kernels, then scaling, server mode and stability. */
export function formatProfileSummary(profile: HardwareProfile, flagMark = '!'): string[] {
  const h = profile.host;
  const lines = [
    `${profile.name}: ${h.cpuModel}, ${h.availableParallelism} threads, ${(h.memoryBytes / 2 ** 30).toFixed(0)} GiB, ${h.os.platform} ${h.os.arch}, Node ${h.node} (V8 ${h.v8}), SIMD ${h.simd.cpuLevel}${h.simd.wasmSimd ? ' + wasm simd128' : ''}`,
    `${profile.method.mode} run, ${profile.method.isolatesPerKernel} isolates per kernel, ${(profile.method.durationMs / 1000).toFixed(1)} s`,
    '',
  ];
  const ids = Object.keys(profile.kernels);
  const width = Math.max(6, ...ids.map((id) => id.length));
  lines.push(`${pad('kernel', width)}  ${pad('median', 9, true)}  ${pad('p99', 9, true)}  ${pad('calls/s', 9, true)}  ${pad('spread', 6, true)}  derived`);
  for (const id of ids) {
    const k = profile.kernels[id];
    const derived: string[] = [];
    if (k.derived.gbPerSec !== undefined && (k.group === 'retrieval' || k.group === 'memory')) derived.push(`${k.derived.gbPerSec.toFixed(1)} GB/s`);
    if (k.derived.msPerToken !== undefined) derived.push(`${formatDuration(k.derived.msPerToken)}/token`);
    if (k.derived.recallAt10 !== undefined) derived.push(`recall@10 ${k.derived.recallAt10.toFixed(4)}`);
    lines.push(
      `${pad(id, width)}  ${pad(formatDuration(k.medianMs), 9, true)}  ${pad(formatDuration(k.p99Ms), 9, true)}  ${pad(formatRate(k.throughputPerSec), 9, true)}  ${pad(`${formatRatio(k.spread.ratio)}×`, 6, true)}${k.spread.flagged ? flagMark : ' '} ${derived.join(', ')}`,
    );
  }
  for (const s of profile.skipped) lines.push(`${pad(s.kernel, width)}  skipped: ${s.reason}`);
  if (profile.scaling.length > 0) {
    lines.push('', `thread scaling (closed loop, calls/s, efficiency vs 1 thread, best of ${profile.scaling[0].repeats} pass${profile.scaling[0].repeats === 1 ? '' : 'es'}):`);
    for (const series of profile.scaling) {
      lines.push(`  ${series.kernel}: ${series.points.map((p) => `${p.threads}T ${formatRate(p.callsPerSec)} (${(p.efficiency * 100).toFixed(0)}%)`).join(', ')}`);
    }
  }
  if (profile.server) {
    const s = profile.server;
    lines.push('', `server mode: ${s.kernel} on ${s.threads} threads, Poisson arrivals, p99 bound ${formatDuration(s.p99BoundMs)}, capacity estimate ${formatRate(s.capacityEstimatePerSec)}`);
    for (const p of s.points) {
      lines.push(
        `  offered ${pad(formatRate(p.offeredRatePerSec), 9, true)}  achieved ${pad(formatRate(p.achievedRatePerSec), 9, true)}  p50 ${pad(formatDuration(p.p50Ms), 9, true)}  p99 ${pad(formatDuration(p.p99Ms), 9, true)}  over bound ${p.overBound}/${p.queries} (needs ${p.requiredQueries})  ${p.meetsBound ? 'meets bound' : 'misses bound'}`,
      );
    }
    lines.push(`  max rate with p99 under the bound: ${s.maxRateUnderBoundPerSec === null ? 'none of the offered rates' : formatRate(s.maxRateUnderBoundPerSec)}`);
  }
  const st = profile.stability;
  const rme = st.medianTinybenchRmePct === null ? '' : ` (tinybench's in-isolate margin of error: median ±${st.medianTinybenchRmePct.toFixed(1)} %)`;
  lines.push('', `stability: cross-isolate spread median ${formatRatio(st.medianSpreadRatio)}×, max ${formatRatio(st.maxSpreadRatio)}×${rme}; ${st.flaggedKernels.length} kernel(s) over ${st.spreadThreshold}×${st.flaggedKernels.length ? ` (${flagMark}): ${st.flaggedKernels.join(', ')}` : ''}`);
  if (st.cpuBusyBeforePct !== null) lines.push(`  machine CPU busy just before the run: ${st.cpuBusyBeforePct.toFixed(0)} %`);
  for (const note of st.notes) lines.push(`  note: ${note}`);
  return lines;
}
