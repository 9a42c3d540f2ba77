/**
 * Sums that do not depend on the order or grouping in which they are formed:
 * what merging replications (and, past one machine, shards of replications)
 * needs so that any merge gives the one-machine result byte for byte.
 *
 * Floating-point addition is not associative: (a + b) + c and a + (b + c)
 * may differ in the last bit, and a figure printed to full precision – busy
 * time, spend, a latency sum behind a mean – then differs between a run merged
 * 1+2+3 and one merged 1+(2+3). Each replication's own total stays a float (it
 * is formed in one deterministic order inside the run); a merge turns every
 * addend into an integer count of 2^-FRACTION_BITS units and adds those as
 * BigInt, which is exact and associative, rounding back to a float once, when
 * the figure is read.
 *
 * Resolution: 2^-100 ≈ 7.9e-31 of the unit (a millisecond, a dollar). Every
 * value at or above 2^-48 ≈ 3.6e-15 converts exactly; smaller nonzero
 * magnitudes round to the nearest unit – deterministically, so still
 * independent of order.
 */

/** Fractional bits of the fixed-point form. */
export const FRACTION_BITS = 100;
const SCALE = 2 ** FRACTION_BITS;

/** x as a whole number of 2^-100 units (exact for |x| ≥ 2^-48). Refuses a value that is not finite: it has no exact sum. */
export function toUnits(x: number): bigint {
  if (!Number.isFinite(x)) throw new RangeError(`an exact sum needs finite values, got ${x}`);
  return BigInt(Math.round(x * SCALE));
}

/** The float nearest to a sum of units (Number(bigint) rounds to nearest, ties to even; the power-of-two division is exact). */
export function fromUnits(units: bigint): number {
  return Number(units) / SCALE;
}

/**
 * An exact running sum: add floats (or other exact sums) in any order and any
 * grouping; `value` is always the float nearest to the true sum of the floats
 * added.
 */
export class ExactSum {
  private units: bigint;

  constructor(x = 0) {
    this.units = toUnits(x);
  }

  static fromUnits(units: bigint): ExactSum {
    const s = new ExactSum();
    s.units = units;
    return s;
  }

  add(x: number): this {
    this.units += toUnits(x);
    return this;
  }

  addSum(other: ExactSum): this {
    this.units += other.units;
    return this;
  }

  get value(): number {
    return fromUnits(this.units);
  }

  /** Units as a decimal string: JSON carries it without loss. */
  toJSON(): string {
    return this.units.toString();
  }

  static fromJSON(text: string): ExactSum {
    if (!/^-?\d+$/.test(text)) throw new RangeError(`an exact sum is a whole number of units, got "${text}"`);
    return ExactSum.fromUnits(BigInt(text));
  }
}
