/**
 * A run's outcomes as they arrive from the queue, each counted once. A job's
 * end can be heard twice – its 'completed' event and the reconciliation that
 * reads job states, or a repeated event after a reconnect – and a task counted
 * twice would report a result twice and finish the progress early; the first
 * report of a task is the one kept, later ones are ignored.
 */
import type { TaskOutcome } from '../task-pool.js';
import type { RunTasksOptions } from '../task-runner.js';

export class OutcomeGatherer {
  private readonly outcomes: TaskOutcome[];
  private readonly open: Set<number>;
  private done = 0;
  private whenAll: () => void = () => {};
  /** Resolves once every task has its outcome. */
  readonly finished: Promise<void>;

  constructor(
    readonly total: number,
    private readonly callbacks: Pick<RunTasksOptions, 'onResult' | 'onProgress'>,
  ) {
    this.outcomes = new Array<TaskOutcome>(total);
    this.open = new Set(Array.from({ length: total }, (_, i) => i));
    this.finished = new Promise((resolve) => (this.whenAll = resolve));
    if (total === 0) this.whenAll();
  }

  /** Whether task `index` still waits for its outcome. */
  isOpen(index: number): boolean {
    return this.open.has(index);
  }

  /** The tasks still waiting, in task order. */
  pending(): number[] {
    return [...this.open].sort((a, b) => a - b);
  }

  /**
   * Records task `index`'s outcome and tells the caller (onResult, then
   * onProgress) – unless it has one already.
   * @returns whether this call recorded it
   */
  settle(index: number, outcome: TaskOutcome): boolean {
    if (!this.open.delete(index)) return false;
    this.outcomes[index] = outcome;
    this.callbacks.onResult?.(index, outcome);
    this.callbacks.onProgress?.(++this.done, this.total);
    if (this.open.size === 0) this.whenAll();
    return true;
  }

  /** Every outcome, in task order (call once `finished` has resolved). */
  results(): TaskOutcome[] {
    return this.outcomes;
  }
}
