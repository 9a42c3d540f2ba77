/**
 * Where a fault came from, as one integer per request (cheap to carry in the
 * inner loop) and as a name in results. With n stages:
 *   [0, n)    a stage's own fault (error, timeout, corruption, rejection)
 *   [n, 2n)   the hand-off into stage (code − n) from the stage before it
 *   [2n, 3n)  a stale read of shared state at stage (code − 2n)
 *   3n        no fault (a request that only ran out of time)
 */
export function stageOrigin(position: number): number {
  return position;
}

export function edgeOrigin(stages: number, receiver: number): number {
  return stages + receiver;
}

export function stateOrigin(stages: number, position: number): number {
  return 2 * stages + position;
}

export function originCount(stages: number): number {
  return 3 * stages + 1;
}

/** The stage position whose output a recovery must redo to remove a fault of this origin. */
export function originPosition(stages: number, code: number): number {
  if (code < stages) return code;
  if (code < 2 * stages) return code - stages - 1;
  if (code < 3 * stages) return code - 2 * stages;
  return 0;
}

export function originName(stageIds: readonly string[], code: number): string {
  const n = stageIds.length;
  if (code < n) return stageIds[code];
  if (code < 2 * n) return `${stageIds[code - n - 1]}→${stageIds[code - n]}`;
  if (code < 3 * n) return `${stageIds[code - 2 * n]} (stale state)`;
  return 'none (ran out of time)';
}
