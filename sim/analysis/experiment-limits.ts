/**
 * The budget of a whole experiment. run-limits.ts checks one run; a sweep of
 * 10,000 points, or `--replications 1e9`, is made of runs that each pass and
 * together take days – or, before a single task starts, gigabytes for the task
 * list itself. This checks the total up front, from the per-run estimates:
 * total events = Σ over arms of (estimated events of one run × replications),
 * and the number of runs (tasks, each of which keeps its result in memory
 * until the experiment is merged).
 */
import { BudgetError, formatCount } from './run-limits.js';

export interface ExperimentLimits {
  /** Engine events the whole experiment may take, summed over arms and replications. */
  maxTotalEvents: number;
  /** Runs (arm × replication tasks) one experiment may have. */
  maxRuns: number;
}

/**
 * 2e10 events is ten times one run's default limit: about 80 minutes of one
 * core at the reference model's 4 million events/s (`coordgap bench-sim`), so
 * the bundled studies (well under 1e9) pass with room to spare. 100,000 runs
 * keep the task list and the finished results (a few kB each) well under a
 * gigabyte.
 */
export const DEFAULT_EXPERIMENT_LIMITS: Readonly<ExperimentLimits> = { maxTotalEvents: 2e10, maxRuns: 100_000 };

/** One arm as the experiment budget sees it: its name and one run's estimated events. */
export interface ArmWork {
  subject: string;
  events: number;
}

export interface ExperimentEstimate {
  runs: number;
  totalEvents: number;
}

/**
 * Refuses an experiment whose runs or total estimated events are over
 * `limits` (or not finite): a BudgetError naming the estimate, the limit and
 * the flag that raises it. Returns the estimate otherwise. Checked before any
 * task is built, so `--replications 1e9` costs nothing.
 */
export function checkExperimentBudget(
  arms: readonly ArmWork[],
  replications: number,
  limits: ExperimentLimits = DEFAULT_EXPERIMENT_LIMITS,
): ExperimentEstimate {
  const runs = arms.length * replications;
  let totalEvents = 0;
  let largest: ArmWork | undefined;
  for (const arm of arms) {
    totalEvents += arm.events * replications;
    if (largest === undefined || !(arm.events <= largest.events)) largest = arm;
  }
  const estimate = { runs, totalEvents };
  const shape = `${formatCount(arms.length)} arm${arms.length === 1 ? '' : 's'} × ${formatCount(replications)} replication${replications === 1 ? '' : 's'}`;
  if (!(runs <= limits.maxRuns))
    throw new BudgetError(
      'runs',
      estimate,
      `the experiment would be ${formatCount(runs)} runs (${shape}; limit ${formatCount(limits.maxRuns)}); use fewer replications or sweep points`,
    );
  if (!(totalEvents <= limits.maxTotalEvents)) {
    const most = largest === undefined ? '' : `; the largest run is ${largest.subject}'s, about ${formatCount(largest.events)} events`;
    throw new BudgetError(
      'totalEvents',
      estimate,
      `the experiment would take about ${formatCount(totalEvents)} events in all (${shape}${most}; limit ${formatCount(limits.maxTotalEvents)}); ` +
        'lower requests, replications or sweep points, or raise --max-total-events',
    );
  }
  return estimate;
}
