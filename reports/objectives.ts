/** How a ranking objective (sim/experiment/sensitivity.ts OBJECTIVES) is said, in the terminal and the report alike. */
import type { Objective } from '../sim/experiment/index.js';

export const OBJECTIVE_LABELS: Readonly<Record<Objective, string>> = {
  success: 'Δ task success',
  'spend-per-success': 'Δ spend per success',
  'total-cost': 'Δ total cost per success (spend + assumed penalty)',
  p95: 'Δ p95',
};
