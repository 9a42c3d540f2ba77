/**
 * A self-hosted model on a GPU pool: how many sequences one GPU serves at
 * once (continuous batching, as vLLM's `max_num_seqs` bounds it) and the
 * time to first token and per output token at a given number of concurrent
 * sequences per GPU – the load table NVIDIA's NIM benchmarking pages and
 * vLLM's serving benchmarks publish per concurrency level. A call takes the
 * figures at the load it starts under (linearly interpolated between rows);
 * past `sequencesPerGpu` calls wait in the pool's queue, so the time to
 * first token a user sees climbs steeply once the GPUs are full: the cliff.
 * The scenario fragment is servingSchema (schema.ts); this file is what a
 * run needs, no zod.
 */
export interface ServingModel {
  /** GPUs in the pool (the pool's servers before batching). */
  gpus: number;
  sequencesPerGpu: number;
  /** Rows by increasing sequences. */
  load: readonly { sequences: number; ttftMs: number; tpotMs: number }[];
}

/** Where the rows of a load table are out of order, as [row index, message]; empty when in order. */
export function servingOrderProblems(s: { load: readonly { sequences: number }[] }): [number, string][] {
  const out: [number, string][] = [];
  s.load.forEach((row, i) => {
    if (i > 0 && !(row.sequences > s.load[i - 1].sequences))
      out.push([i, `rows must list increasing sequences: ${row.sequences} after ${s.load[i - 1].sequences}`]);
  });
  return out;
}

/**
 * TTFT or TPOT (`field`) at `sequencesPerGpu` concurrent sequences per GPU:
 * the first row's below it, the last row's above it, linear between.
 */
export function servingAt(model: ServingModel, sequencesPerGpu: number, field: 'ttftMs' | 'tpotMs'): number {
  const rows = model.load;
  if (sequencesPerGpu <= rows[0].sequences) return rows[0][field];
  for (let i = 1; i < rows.length; i++) {
    const hi = rows[i];
    if (sequencesPerGpu <= hi.sequences) {
      const lo = rows[i - 1];
      return lo[field] + ((sequencesPerGpu - lo.sequences) / (hi.sequences - lo.sequences)) * (hi[field] - lo[field]);
    }
  }
  return rows[rows.length - 1][field];
}
