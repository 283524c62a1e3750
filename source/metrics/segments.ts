// Per-stage figures: the run is cut into segments (a step of a ramp, a stage, a minute of a constant
// run) and each gets exact percentiles from its own histograms. The first interval after a cut is a
// transition (users still ramping), so it only counts when the segment has nothing else.
import {createHistogram, latencyMs, type Histogram, type LatencyMs} from './histogram.js';

export interface SegmentEndpoint {
  readonly requests: number;
  readonly failures: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly failuresByKind: Readonly<Record<string, number>>;
}

export interface Segment {
  readonly index: number;
  readonly label: string;
  /** ms since the run started. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Mean users over the segment's settled intervals, and the target. */
  readonly users: number;
  readonly targetUsers: number;
  readonly requests: number;
  readonly failures: number;
  readonly rps: number;
  readonly failRate: number;
  readonly latencyMs: LatencyMs;
  readonly failuresByKind: Readonly<Record<string, number>>;
  readonly endpoints: Readonly<Record<string, SegmentEndpoint>>;
}

class Accumulator {
  readonly histogram = createHistogram();
  readonly endpoints = new Map<string, {histogram: Histogram; requests: number; failures: number; kinds: Record<string, number>}>();
  requests = 0;
  failures = 0;
  kinds: Record<string, number> = {};
  seconds = 0;
  userSeconds = 0;
  intervals = 0;

  add(i: IntervalInput): void {
    this.histogram.add(i.histogram);
    this.requests += i.requests;
    this.failures += i.failures;
    addInto(this.kinds, i.failuresByKind);
    this.seconds += i.seconds;
    this.userSeconds += i.users * i.seconds;
    this.intervals++;
    for (const e of i.endpoints) {
      let acc = this.endpoints.get(e.key);
      if (!acc) { acc = {histogram: createHistogram(), requests: 0, failures: 0, kinds: {}}; this.endpoints.set(e.key, acc); }
      acc.histogram.add(e.histogram);
      acc.requests += e.requests;
      acc.failures += e.failures;
      addInto(acc.kinds, e.failuresByKind);
    }
  }

  reset(): void {
    this.histogram.reset();
    this.endpoints.clear();
    this.requests = this.failures = this.seconds = this.userSeconds = this.intervals = 0;
    this.kinds = {};
  }
}

export interface IntervalInput {
  readonly atMs: number;
  readonly seconds: number;
  readonly users: number;
  readonly targetUsers: number;
  readonly histogram: Histogram;
  readonly requests: number;
  readonly failures: number;
  readonly failuresByKind: Readonly<Record<string, number>>;
  readonly endpoints: ReadonlyArray<{readonly key: string; readonly histogram: Histogram; readonly requests: number; readonly failures: number; readonly failuresByKind: Readonly<Record<string, number>>}>;
}

export class Segments {
  readonly closed: Segment[] = [];
  private readonly settled = new Accumulator();
  private readonly transition = new Accumulator();
  private label: string | undefined;
  private fromMs = 0;
  private lastAtMs = 0;
  private targetUsers = 0;
  private cutPending = false;

  /** Starts a new segment at the next interval; the open one is closed then. */
  cut(label: string): void {
    this.pendingLabel = label;
    this.cutPending = true;
  }

  private pendingLabel: string | undefined;

  add(i: IntervalInput): void {
    if (this.cutPending) {
      this.close();
      this.label = this.pendingLabel;
      this.fromMs = this.lastAtMs;
      this.cutPending = false;
      this.transition.add(i);
    } else if (this.label !== undefined) {
      (this.transition.intervals === 0 ? this.transition : this.settled).add(i);
    }
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
    this.cutPending = false;
  }

  private close(): void {
    const s = this.snapshot();
    if (s) this.closed.push(s);
    this.settled.reset();
    this.transition.reset();
  }

  private snapshot(): Segment | undefined {
    if (this.label === undefined) return undefined;
    const acc = this.settled.intervals > 0 ? this.settled : this.transition;
    if (acc.intervals === 0) return undefined;
    const endpoints: Record<string, SegmentEndpoint> = {};
    for (const [key, e] of acc.endpoints) {
      const l = latencyMs(e.histogram);
      endpoints[key] = {requests: e.requests, failures: e.failures, p50: l.p50, p95: l.p95, p99: l.p99, failuresByKind: {...e.kinds}};
    }
    return {
      index: this.closed.length + 1,
      label: this.label,
      fromMs: this.fromMs,
      toMs: this.lastAtMs,
      users: Math.round((acc.userSeconds / Math.max(acc.seconds, 1e-9)) * 10) / 10,
      targetUsers: this.targetUsers,
      requests: acc.requests,
      failures: acc.failures,
      rps: acc.requests / Math.max(acc.seconds, 1e-9),
      failRate: acc.requests > 0 ? acc.failures / acc.requests : 0,
      latencyMs: latencyMs(acc.histogram),
      failuresByKind: {...acc.kinds},
      endpoints,
    };
  }
}

function addInto(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const k in from) into[k] = (into[k] ?? 0) + from[k];
}
