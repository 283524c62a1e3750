// The one place that decides how latency histograms are built: microseconds, 1 µs to 10 minutes,
// 3 significant digits (0.1 % resolution). Plain JS Int32 arrays: no WASM heap to free, and (recordUs) under 10 ns a record.
import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;
export const MAX_LATENCY_US = 600_000_000;

export function createHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: MAX_LATENCY_US,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

/** What recordUs uses of hdr-histogram-js's JS histograms besides their typings (the steps of its recordSingleValue). */
interface Recording {
  readonly subBucketHalfCountMagnitude: number;
  readonly unitMagnitude: number;
  incrementCountAtIndex(index: number): void;
  updateMinAndMax(value: number): void;
  incrementTotalCount(): void;
}

/** The histograms' shape (createHistogram): unit 1 µs, 2 × 2^10 sub-buckets. */
const HALF_MAGNITUDE = 10;

/**
 * Records a latency. The library finds a value's slot with Math.log2 and two Math.pow, about 1 % of a quick
 * mode request (perf); for this shape the same slot is `bucket × 2^10 + (value >> bucket)`, with the bucket
 * from the value's leading zeros. The rest is the library's own steps (histogram.test.ts checks both agree).
 */
export function recordUs(h: Histogram, us: number): void {
  const value = us < 1 ? 1 : us > MAX_LATENCY_US ? MAX_LATENCY_US : Math.round(us);
  const r = h as unknown as Recording;
  if (r.unitMagnitude !== 0 || r.subBucketHalfCountMagnitude !== HALF_MAGNITUDE) return h.recordValue(value); // not createHistogram's
  const bucket = Math.max(0, 31 - Math.clz32(value) - HALF_MAGNITUDE);
  r.incrementCountAtIndex((bucket << HALF_MAGNITUDE) + (value >>> bucket));
  r.updateMinAndMax(value);
  r.incrementTotalCount();
}

export function encode(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

/** Adds an encoded histogram into `into`. */
export function addEncoded(into: Histogram, encoded: string): void {
  const decoded = hdr.decodeFromCompressedBase64(encoded, 32, false);
  into.add(decoded);
  decoded.destroy();
}

/** Latency figures in milliseconds, as reports show them. */
export interface LatencyMs {
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  /** The rest of the percentiles Locust's CSV shows (absent for an empty histogram and in older summaries). */
  readonly min?: number;
  readonly p66?: number;
  readonly p75?: number;
  readonly p80?: number;
  readonly p98?: number;
  readonly p999?: number;
  readonly p9999?: number;
}

const usToMs = (us: number) => Math.round(us) / 1000;

/** The parts of hdr-histogram-js's JS histograms that meanUs() reads (public methods, not in its typings). */
interface CountsArray {
  countsArrayIndex(value: number): number;
  getCountAtIndex(index: number): number;
  valueFromIndex(index: number): number;
  medianEquivalentValue(value: number): number;
}

/**
 * The mean in µs, as the histogram's own `mean` computes it (each count at the middle of its bucket), by
 * a plain loop over the counts up to the largest value: `mean` walks them with a generic iterator, and
 * was most of the controller's time a tick (about 13 ms at 1 endpoint, measured with --cpu-prof).
 */
export function meanUs(h: Histogram): number {
  if (h.totalCount === 0) return 0;
  const c = h as unknown as CountsArray;
  const last = c.countsArrayIndex(h.maxValue);
  let sum = 0;
  for (let i = 0; i <= last; i++) {
    const n = c.getCountAtIndex(i);
    if (n !== 0) sum += n * c.medianEquivalentValue(c.valueFromIndex(i));
  }
  return sum / h.totalCount;
}

export function latencyMs(h: Histogram): LatencyMs {
  if (h.totalCount === 0) return {mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0};
  return {
    mean: usToMs(meanUs(h)),
    p50: usToMs(h.getValueAtPercentile(50)),
    p90: usToMs(h.getValueAtPercentile(90)),
    p95: usToMs(h.getValueAtPercentile(95)),
    p99: usToMs(h.getValueAtPercentile(99)),
    max: usToMs(h.maxValue),
    min: usToMs(h.minNonZeroValue),
    p66: usToMs(h.getValueAtPercentile(66)),
    p75: usToMs(h.getValueAtPercentile(75)),
    p80: usToMs(h.getValueAtPercentile(80)),
    p98: usToMs(h.getValueAtPercentile(98)),
    p999: usToMs(h.getValueAtPercentile(99.9)),
    p9999: usToMs(h.getValueAtPercentile(99.99)),
  };
}

/** A bar of a latency histogram: the requests that took up to `upToMs` (and more than the bar before). */
export interface LatencyBucket {
  readonly upToMs: number;
  readonly count: number;
}

/**
 * The distribution in `n` equal-width bars from the fastest to the slowest request, as hey and oha draw it
 * (a count a bar, read straight off the histogram's counts, as meanUs does).
 */
export function linearBuckets(h: Histogram, n = 11): LatencyBucket[] {
  if (h.totalCount === 0) return [];
  const c = h as unknown as CountsArray;
  const minUs = h.minNonZeroValue;
  const maxUs = h.maxValue;
  const width = Math.max(1, (maxUs - minUs) / n);
  const counts = new Array<number>(n).fill(0);
  const last = c.countsArrayIndex(maxUs);
  for (let i = c.countsArrayIndex(minUs); i <= last; i++) {
    const k = c.getCountAtIndex(i);
    if (k === 0) continue;
    const v = c.medianEquivalentValue(c.valueFromIndex(i));
    counts[Math.min(n - 1, Math.max(0, Math.floor((v - minUs) / width)))] += k;
  }
  return counts.map((count, i) => ({upToMs: usToMs(minUs + width * (i + 1)), count}));
}

/** A histogram as Prometheus keeps one: how many values were at most each bound (cumulative), all of them, and their sum. */
export interface BoundCounts {
  /** `atMost[i]` counts the values ≤ `boundsUs[i]`. */
  readonly atMost: number[];
  readonly count: number;
  /** Each value taken at the middle of its HDR bucket (within 0.1 %), as `meanUs` takes it. */
  readonly sumUs: number;
}

/** Cumulative counts at ascending bounds (µs), read off the histogram's counts in one pass. */
export function boundCounts(h: Histogram, boundsUs: readonly number[]): BoundCounts {
  const atMost = new Array<number>(boundsUs.length).fill(0);
  if (h.totalCount === 0) return {atMost, count: 0, sumUs: 0};
  const c = h as unknown as CountsArray;
  const last = c.countsArrayIndex(h.maxValue);
  let sumUs = 0;
  let seen = 0;
  let b = 0;
  for (let i = c.countsArrayIndex(h.minNonZeroValue); i <= last; i++) {
    const n = c.getCountAtIndex(i);
    if (n === 0) continue;
    const v = c.medianEquivalentValue(c.valueFromIndex(i));
    // A bucket counts below a bound when its middle does: HDR buckets are 0.1 % wide, finer than any bound's meaning.
    while (b < boundsUs.length && v > boundsUs[b]!) atMost[b++] = seen;
    seen += n;
    sumUs += n * v;
  }
  while (b < boundsUs.length) atMost[b++] = seen;
  return {atMost, count: h.totalCount, sumUs};
}
