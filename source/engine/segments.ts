// Per-stage figures: the run is cut into segments (a step of a ramp, a stage, a minute of a constant
// run, a manual change, the recovery after find-limit) and each gets exact figures from its own
// histograms. Every interval of the run belongs to exactly one segment, so the segments' requests and
// failures add up to the run's totals. The first interval after a cut is a transition (users still
// ramping, queues of the step before draining): its requests and failures count, but the segment's
// latency and req/s come from the intervals after it (settled), unless it has nothing else.
import {createHistogram, latencyMs, type Histogram, type LatencyMs} from '../kernel/histogram.js';

export interface SegmentEndpoint {
  readonly requests: number;
  readonly failures: number;
  /** req/s, mean and percentiles over the settled intervals (ms). */
  readonly rps: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly failuresByKind: Readonly<Record<string, number>>;
}

/**
 * What a segment is: `start` (before the first cut), a plan `step` (or stage, or minute), a `manual` change
 * made with a key, or the `recovery` window after a drop to the baseline (find-limit, `b`): never judged as a step of the climb.
 */
export type SegmentKind = 'start' | 'step' | 'manual' | 'recovery';

export interface Segment {
  readonly index: number;
  readonly label: string;
  readonly kind: SegmentKind;
  /** ms since the run started. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Where the settled part (latency, req/s) starts: after the transition interval, when there was more. */
  readonly settledFromMs: number;
  /** Mean users over the segment's settled intervals, and the target. */
  readonly users: number;
  readonly targetUsers: number;
  /** Every request and failure of the segment's intervals, transition included: these add up to the run's totals. */
  readonly requests: number;
  readonly failures: number;
  readonly failuresByKind: Readonly<Record<string, number>>;
  /** Open model: iterations dropped (part of `failures`). */
  readonly dropped: number;
  /** Script errors (not requests, not failures). */
  readonly scriptErrors: number;
  /** req/s over the settled intervals. */
  readonly rps: number;
  /** failures / (requests + dropped) over the whole segment, 0..1. */
  readonly failRate: number;
  /** Latency over the settled intervals. */
  readonly latencyMs: LatencyMs;
  readonly endpoints: Readonly<Record<string, SegmentEndpoint>>;
}

export interface IntervalInput {
  readonly atMs: number;
  readonly seconds: number;
  readonly users: number;
  readonly targetUsers: number;
  readonly histogram: Histogram;
  readonly requests: number;
  /** Failures, dropped iterations included. */
  readonly failures: number;
  readonly failuresByKind: Readonly<Record<string, number>>;
  readonly dropped: number;
  readonly scriptErrors: number;
  readonly endpoints: ReadonlyArray<{
    readonly key: string;
    readonly histogram: Histogram;
    readonly requests: number;
    readonly failures: number;
    readonly failuresByKind: Readonly<Record<string, number>>;
  }>;
}

/** Latency and req/s of a run of intervals, per endpoint too. */
class Timing {
  readonly histogram = createHistogram();
  readonly endpoints = new Map<string, {histogram: Histogram; requests: number}>();
  requests = 0;
  seconds = 0;
  userSeconds = 0;
  intervals = 0;
  fromMs = 0;

  add(i: IntervalInput, fromMs: number): void {
    if (this.intervals === 0) this.fromMs = fromMs;
    this.histogram.add(i.histogram);
    this.requests += i.requests;
    this.seconds += i.seconds;
    this.userSeconds += i.users * i.seconds;
    this.intervals++;
    for (const e of i.endpoints) {
      let acc = this.endpoints.get(e.key);
      if (!acc) {
        acc = {histogram: createHistogram(), requests: 0};
        this.endpoints.set(e.key, acc);
      }
      acc.histogram.add(e.histogram);
      acc.requests += e.requests;
    }
  }

  reset(): void {
    this.histogram.reset();
    this.endpoints.clear();
    this.requests = this.seconds = this.userSeconds = this.intervals = 0;
  }
}

/** Counts of a run of intervals: what adds up. */
class Counts {
  requests = 0;
  failures = 0;
  dropped = 0;
  scriptErrors = 0;
  kinds: Record<string, number> = {};
  readonly endpoints = new Map<string, {requests: number; failures: number; kinds: Record<string, number>}>();

  add(i: IntervalInput): void {
    this.requests += i.requests;
    this.failures += i.failures;
    this.dropped += i.dropped;
    this.scriptErrors += i.scriptErrors;
    addInto(this.kinds, i.failuresByKind);
    for (const e of i.endpoints) {
      let acc = this.endpoints.get(e.key);
      if (!acc) {
        acc = {requests: 0, failures: 0, kinds: {}};
        this.endpoints.set(e.key, acc);
      }
      acc.requests += e.requests;
      acc.failures += e.failures;
      addInto(acc.kinds, e.failuresByKind);
    }
  }

  reset(): void {
    this.requests = this.failures = this.dropped = this.scriptErrors = 0;
    this.kinds = {};
    this.endpoints.clear();
  }
}

export class Segments {
  readonly closed: Segment[] = [];
  private readonly counts = new Counts();
  private readonly settled = new Timing();
  private readonly transition = new Timing();
  private label: string | undefined;
  private kind: SegmentKind = 'start';
  private fromMs = 0;
  private lastAtMs = 0;
  private targetUsers = 0;
  private pending: {label: string; kind: SegmentKind} | undefined;

  /** Starts a new segment at the next interval; the open one is closed then. */
  cut(label: string, kind: SegmentKind = 'step'): void {
    this.pending = {label, kind};
  }

  add(i: IntervalInput): void {
    if (this.pending || this.label === undefined) {
      // Intervals before the first cut are the run's start: they count too.
      this.close();
      this.label = this.pending?.label ?? 'start';
      this.kind = this.pending?.kind ?? 'start';
      this.fromMs = this.lastAtMs;
      this.pending = undefined;
    }
    this.counts.add(i);
    (this.transition.intervals === 0 ? this.transition : this.settled).add(i, this.lastAtMs);
    this.lastAtMs = i.atMs;
    this.targetUsers = i.targetUsers;
  }

  /** The segment still open, as it stands (for a live view). */
  open(): Segment | undefined {
    return this.snapshot();
  }

  /** Closes the open segment for good (the run ended). */
  finish(): void {
    this.close();
    this.label = undefined;
    this.pending = undefined;
  }

  private close(): void {
    const s = this.snapshot();
    if (s) this.closed.push(s);
    this.counts.reset();
    this.settled.reset();
    this.transition.reset();
  }

  private snapshot(): Segment | undefined {
    if (this.label === undefined || this.transition.intervals === 0) return undefined;
    const timing = this.settled.intervals > 0 ? this.settled : this.transition;
    const seconds = Math.max(timing.seconds, 1e-9);
    const {counts} = this;
    const endpoints: Record<string, SegmentEndpoint> = {};
    for (const [key, c] of counts.endpoints) {
      const t = timing.endpoints.get(key);
      const l = t ? latencyMs(t.histogram) : undefined;
      endpoints[key] = {
        requests: c.requests,
        failures: c.failures,
        failuresByKind: {...c.kinds},
        rps: (t?.requests ?? 0) / seconds,
        mean: l?.mean ?? 0,
        p50: l?.p50 ?? 0,
        p95: l?.p95 ?? 0,
        p99: l?.p99 ?? 0,
      };
    }
    const attempts = counts.requests + counts.dropped;
    return {
      index: this.closed.length + 1,
      label: this.label,
      kind: this.kind,
      fromMs: this.fromMs,
      toMs: this.lastAtMs,
      settledFromMs: timing.fromMs,
      users: Math.round((timing.userSeconds / seconds) * 10) / 10,
      targetUsers: this.targetUsers,
      requests: counts.requests,
      failures: counts.failures,
      failuresByKind: {...counts.kinds},
      dropped: counts.dropped,
      scriptErrors: counts.scriptErrors,
      rps: timing.requests / seconds,
      failRate: attempts > 0 ? counts.failures / attempts : 0,
      latencyMs: latencyMs(timing.histogram),
      endpoints,
    };
  }
}

function addInto(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const k in from) into[k] = (into[k] ?? 0) + from[k];
}
