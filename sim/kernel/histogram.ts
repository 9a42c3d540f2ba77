/**
 * Streaming latency histogram with bounded memory: DDSketch-style logarithmic
 * buckets (Masson, Rim & Lee 2019, "DDSketch: A Fast and Fully-Mergeable
 * Quantile Sketch with Relative-Error Guarantees", PVLDB 12(12)), over a fixed
 * index range so memory never grows with the number of records and merging is
 * exact (counts add).
 */
import { fromUnits, toUnits } from './exact-sum.js';

/** Relative accuracy α of every in-range quantile. */
const ALPHA = 0.005;
/** γ = (1 + α)/(1 − α): bucket i holds (γ^(i−1), γ^i] (Masson et al. 2019). */
const GAMMA = (1 + ALPHA) / (1 - ALPHA);
const INV_LN_GAMMA = 1 / Math.log(GAMMA);
/** Smallest value with its own bucket; anything below counts as 0 (zero bucket). */
const MIN_INDEXABLE_MS = 1e-3;
/** Largest value with its own bucket; anything above is clamped to the top bucket. */
const MAX_INDEXABLE_MS = 1e9;
const MIN_INDEX = Math.ceil(Math.log(MIN_INDEXABLE_MS) * INV_LN_GAMMA);
const MAX_INDEX = Math.ceil(Math.log(MAX_INDEXABLE_MS) * INV_LN_GAMMA);
const SLOTS = MAX_INDEX - MIN_INDEX + 1;

/**
 * Representative of bucket i: 2γ^i/(γ + 1), the point whose relative distance to both
 * ends of (γ^(i−1), γ^i] is exactly α (Masson et al. 2019).
 */
function bucketValueMs(index: number): number {
  return (2 * Math.pow(GAMMA, index)) / (GAMMA + 1);
}

/** Sparse, JSON-safe form; `offsets` are bucket indices i = ceil(log_γ v), ascending. */
export interface LatencyHistogramJson {
  v: 1;
  alpha: number;
  count: number;
  sumMs: number;
  /** 0 when count is 0 (JSON has no Infinity). */
  minMs: number;
  /** 0 when count is 0. */
  maxMs: number;
  zeroCount: number;
  overflowCount: number;
  offsets: number[];
  counts: number[];
  /** The exact sum of a merged histogram (exact-sum.ts units, decimal); absent for one run's. */
  sumUnits?: string;
}

export class LatencyHistogram {
  static readonly relativeAccuracy: number = ALPHA;

  /** Counts per bucket, allocated once; Float64 stays exact to 2^53 even after many merges. */
  private readonly buckets = new Float64Array(SLOTS);
  private n = 0;
  /** sum, min, max: in a Float64Array so the hot path never boxes a double (see RunCollector.hot). */
  private readonly moments = new Float64Array([0, Infinity, -Infinity]);
  private zero = 0;
  private overflow = 0;
  /**
   * After a merge, the sum as exact units (exact-sum.ts), so a merge of merges
   * gives the same sum whatever the grouping. Used only while the float sum is
   * still the value rounded from it (nothing recorded since).
   */
  private sumUnits: bigint | null = null;

  /**
   * Hot path: no allocation. Values below 1e-3 ms go to the zero bucket; values above
   * 1e9 ms land in the top bucket and are also counted in `overflowCount`.
   * `also`, when given, records the same value too – one bucket index for
   * both, and one call: a success goes into the success and the all-requests
   * histograms, and a second `record` call site in the collector's hot path
   * was left out of line by V8, boxing the value on every request (measured:
   * ~55 bytes of garbage per request).
   * @throws {RangeError} if valueMs is negative, NaN or infinite.
   */
  record(valueMs: number, also: LatencyHistogram | null = null): void {
    if (!(valueMs >= 0 && valueMs < Infinity)) throw new RangeError(`valueMs must be a finite number >= 0 (got ${valueMs})`);
    let bucket = -1;
    if (valueMs > MAX_INDEXABLE_MS) bucket = SLOTS - 1;
    else if (valueMs >= MIN_INDEXABLE_MS) bucket = (Math.ceil(Math.log(valueMs) * INV_LN_GAMMA) - MIN_INDEX) | 0;
    this.add(valueMs, bucket);
    if (also !== null) also.add(valueMs, bucket);
  }

  /** Counts a value whose bucket is known (−1: the zero bucket). */
  private add(valueMs: number, bucket: number): void {
    this.n++;
    const m = this.moments;
    m[0] += valueMs;
    if (valueMs < m[1]) m[1] = valueMs;
    if (valueMs > m[2]) m[2] = valueMs;
    if (bucket < 0) this.zero++;
    else {
      this.buckets[bucket]++;
      if (bucket === SLOTS - 1 && valueMs > MAX_INDEXABLE_MS) this.overflow++;
    }
  }

  get count(): number { return this.n; }
  /** Exact (plain floating-point) sum of every recorded value. */
  private get sum(): number { return this.moments[0]; }
  private get min(): number { return this.moments[1]; }
  private get max(): number { return this.moments[2]; }
  get sumMs(): number { return this.sum; }
  get meanMs(): number { return this.n === 0 ? NaN : this.sum / this.n; }
  /** Exact smallest recorded value; NaN when empty. */
  get minMs(): number { return this.n === 0 ? NaN : this.min; }
  /** Exact largest recorded value; NaN when empty. */
  get maxMs(): number { return this.n === 0 ? NaN : this.max; }
  get overflowCount(): number { return this.overflow; }
  /** Number of bucket slots; fixed at construction, whatever is recorded. */
  get bucketCapacity(): number { return this.buckets.length; }

  /**
   * Quantile q in [0, 1], lower-rank definition: the value of the bucket holding the
   * ceil(q·count)-th smallest record (q = 0 → exact min, q = 1 → exact max). For values in
   * [1e-3, 1e9] ms the result is within relative error α of that order statistic; the
   * result is clamped into [min, max]. NaN when empty. O(bucket count).
   * @throws {RangeError} if q is outside [0, 1].
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`q must be in [0, 1] (got ${q})`);
    if (this.n === 0) return NaN;
    if (q === 0) return this.min;
    if (q === 1) return this.max;
    const rank = Math.max(1, Math.ceil(q * this.n));
    let seen = this.zero;
    if (seen >= rank) return this.clamp(0);
    const buckets = this.buckets;
    for (let k = 0; k < SLOTS; k++) {
      seen += buckets[k];
      if (seen >= rank) return this.clamp(bucketValueMs(k + MIN_INDEX));
    }
    return this.max;
  }

  /** Adds `other` into this histogram. Exact: bucket counts add (full mergeability, Masson et al. 2019). */
  merge(other: LatencyHistogram): void {
    const mine = this.buckets, theirs = other.buckets;
    for (let k = 0; k < SLOTS; k++) mine[k] += theirs[k];
    this.n += other.n;
    // The sum exactly (exact-sum.ts): (a + b) + c and a + (b + c) give the same mean to the last bit.
    this.sumUnits = this.exactSum() + other.exactSum();
    this.moments[0] = fromUnits(this.sumUnits);
    this.zero += other.zero;
    this.overflow += other.overflow;
    if (other.min < this.min) this.moments[1] = other.min;
    if (other.max > this.max) this.moments[2] = other.max;
  }

  /** The sum in exact units: the merged units while they still stand for the float sum, else the float's own. */
  private exactSum(): bigint {
    return this.sumUnits !== null && fromUnits(this.sumUnits) === this.sum ? this.sumUnits : toUnits(this.sum);
  }

  /** Sparse form for crossing worker boundaries; `fromJSON(toJSON())` round-trips exactly. */
  toJSON(): LatencyHistogramJson {
    const offsets: number[] = [], counts: number[] = [];
    for (let k = 0; k < SLOTS; k++) {
      if (this.buckets[k] !== 0) { offsets.push(k + MIN_INDEX); counts.push(this.buckets[k]); }
    }
    const empty = this.n === 0;
    return {
      v: 1, alpha: ALPHA, count: this.n, sumMs: this.sum,
      minMs: empty ? 0 : this.min, maxMs: empty ? 0 : this.max,
      zeroCount: this.zero, overflowCount: this.overflow, offsets, counts,
      // Only when it says more than sumMs does: a sum the float holds exactly needs no units beside it.
      ...(this.sumUnits !== null && fromUnits(this.sumUnits) === this.sum && this.sumUnits !== toUnits(this.sum) ? { sumUnits: this.sumUnits.toString() } : {}),
    };
  }

  /**
   * Rebuilds a histogram from `toJSON` output, checking it is consistent.
   * @throws {RangeError} naming the offending field.
   */
  static fromJSON(json: LatencyHistogramJson): LatencyHistogram {
    const bad = (field: string, rule: string): never => { throw new RangeError(`histogram json.${field} must be ${rule}`); };
    if (typeof json !== 'object' || json === null) bad('', 'an object');
    if (json.v !== 1) bad('v', '1');
    if (json.alpha !== ALPHA) bad('alpha', `${ALPHA} (histograms with different accuracy cannot be combined)`);
    const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
    for (const field of ['count', 'zeroCount', 'overflowCount'] as const) if (!isCount(json[field])) bad(field, 'an integer >= 0');
    if (!Array.isArray(json.offsets) || !Array.isArray(json.counts) || json.offsets.length !== json.counts.length) {
      bad('offsets', 'an array as long as counts');
    }
    const h = new LatencyHistogram();
    let total = json.zeroCount, previous = -Infinity;
    for (let j = 0; j < json.offsets.length; j++) {
      const i = json.offsets[j], c = json.counts[j];
      if (!Number.isInteger(i) || i < MIN_INDEX || i > MAX_INDEX || i <= previous) {
        bad(`offsets[${j}]`, `an ascending integer in [${MIN_INDEX}, ${MAX_INDEX}]`);
      }
      if (!isCount(c) || c === 0) bad(`counts[${j}]`, 'an integer > 0');
      h.buckets[i - MIN_INDEX] = c;
      total += c;
      previous = i;
    }
    if (total !== json.count) bad('count', `zeroCount + sum(counts) = ${total}`);
    if (json.overflowCount > h.buckets[SLOTS - 1]) bad('overflowCount', '<= the top bucket count');
    if (!Number.isFinite(json.sumMs) || !Number.isFinite(json.minMs) || !Number.isFinite(json.maxMs)) bad('sumMs', 'finite, as are minMs and maxMs');
    if (json.sumUnits !== undefined && !(typeof json.sumUnits === 'string' && /^-?\d+$/.test(json.sumUnits) && fromUnits(BigInt(json.sumUnits)) === json.sumMs))
      bad('sumUnits', 'a whole number of units that rounds to sumMs');
    h.n = json.count;
    h.moments[0] = json.sumMs;
    if (json.sumUnits !== undefined) h.sumUnits = BigInt(json.sumUnits);
    h.zero = json.zeroCount;
    h.overflow = json.overflowCount;
    if (h.n > 0) { h.moments[1] = json.minMs; h.moments[2] = json.maxMs; }
    return h;
  }

  private clamp(valueMs: number): number {
    return valueMs < this.min ? this.min : valueMs > this.max ? this.max : valueMs;
  }
}
