// Recovery timing: learns what "normal" looks like at the baseline load, then, once the load drops
// back to it, measures how long until p95 and the failure rate are normal again.
import type {SeriesPoint} from '../engine/run-state.js';

export interface RecoveryStatus {
  readonly state: 'idle' | 'recovering' | 'recovered' | 'not_recovered';
  /** ms since the run started when the load dropped. */
  readonly sinceMs?: number;
  /** p95 (ms) and failure rate (0..1) of the baseline the run must return to. */
  readonly baselineP95?: number;
  readonly baselineFailRate?: number;
  readonly currentP95?: number;
  readonly currentFailRate?: number;
  /** How long recovery took, once recovered: from when the load began to drop. */
  readonly recoveredAfterMs?: number;
  /**
   * How long the drop itself took (ms), when brink lowered the load at a spawn rate over more than a second: recovery
   * counted from the drop's start includes it, and the target cannot be back before the load is.
   */
  readonly loweringMs?: number;
}

export interface RecoveryRules {
  /**
   * p95 counts as recovered within this factor of the baseline p95 (or `slackMs` above it, or what the baseline's
   * own intervals reached, `spreadQuantile`: whichever is largest).
   */
  readonly p95Factor: number;
  readonly slackMs: number;
  /**
   * The quantile of the baseline's interval p95s that still counts as normal, once `spreadPoints` were learned. A
   * light baseline's interval p95 wanders: at 5 users and 80 req/s against a shop whose orders take 30–50 ms, each
   * interval's p95 fell on a fast read or a slow order, 29–57 ms around a median of 30, and two intervals in five of
   * the baseline itself were past 1.5× its median; a recovery took 4 s longer to be dated than the target did.
   */
  readonly spreadQuantile: number;
  readonly spreadPoints: number;
  /** Failure rate counts as recovered within this many points (0..1) above the baseline's. */
  readonly failRateSlack: number;
  /** Consecutive good intervals needed; recovery is dated at the first of them. */
  readonly streak: number;
  /** Give up after this long. */
  readonly timeoutMs: number;
}

// Interval p95s wander by tens of percent on a healthy target, more on a busy load box: a tighter band
// would report "not recovered" for noise.
export const DEFAULT_RECOVERY: RecoveryRules = {
  p95Factor: 1.5,
  slackMs: 10,
  spreadQuantile: 0.9,
  spreadPoints: 10,
  failRateSlack: 0.005,
  streak: 3,
  timeoutMs: 120_000,
};

/**
 * What stands for normal when no steady baseline interval was learned (the surge came in the first seconds):
 * the first segment that measured anything. A segment with no requests yet has a p95 of 0, and nothing
 * would ever count as recovered against that.
 */
export function firstMeasured(
  segments: ReadonlyArray<{readonly requests: number; readonly latencyMs: {readonly p95: number}; readonly failRate: number} | undefined>,
): {p95: number; failRate: number} | undefined {
  const first = segments.find((s) => s !== undefined && s.requests > 0);
  return first && {p95: first.latencyMs.p95, failRate: first.failRate};
}

export class RecoveryTracker {
  private readonly p95s: number[] = [];
  private readonly failRates: number[] = [];
  private startedAtMs: number | undefined;
  private lowering: {loweringMs?: number} = {};
  private goodSince: number | undefined;
  private good = 0;
  private result: RecoveryStatus = {state: 'idle'};

  constructor(private readonly rules: RecoveryRules = DEFAULT_RECOVERY) {}

  get status(): RecoveryStatus {
    return this.result;
  }

  /** A point at steady baseline load, before any stress: part of what normal looks like. */
  learn(point: SeriesPoint): void {
    if (point.requests === 0) return;
    this.p95s.push(point.p95);
    this.failRates.push(point.failRate);
    if (this.p95s.length > 60) {
      this.p95s.shift();
      this.failRates.shift();
    }
  }

  get hasBaseline(): boolean {
    return this.p95s.length > 0;
  }

  /**
   * The load began to drop back to the baseline at `atMs` (ms since the run started), and is there `loweringMs`
   * later (0: at once).
   */
  start(atMs: number, fallback?: {p95: number; failRate: number}, loweringMs = 0): void {
    if (!this.hasBaseline && fallback) {
      this.p95s.push(fallback.p95);
      this.failRates.push(fallback.failRate);
    }
    this.startedAtMs = atMs;
    // A drop within a second is one interval: as at once, for timing to the interval.
    this.lowering = loweringMs > 1000 ? {loweringMs: Math.round(loweringMs)} : {};
    this.good = 0;
    this.goodSince = undefined;
    this.result = {state: 'recovering', sinceMs: atMs, ...this.lowering, ...this.baseline()};
  }

  /** A new interval while recovering (at or near the baseline load). */
  observe(point: SeriesPoint): RecoveryStatus {
    if (this.result.state !== 'recovering' || this.startedAtMs === undefined) return this.result;
    const base = this.baseline();
    const pointStartMs = point.t * 1000 - 1000;
    const ok =
      point.requests > 0 &&
      point.p95 <= Math.max(base.baselineP95 * this.rules.p95Factor, base.baselineP95 + this.rules.slackMs, this.spread()) &&
      point.failRate <= base.baselineFailRate + this.rules.failRateSlack;
    if (ok) {
      this.good++;
      this.goodSince ??= Math.max(this.startedAtMs, pointStartMs);
    } else {
      this.good = 0;
      this.goodSince = undefined;
    }
    const now = point.t * 1000;
    if (this.good >= this.rules.streak && this.goodSince !== undefined) {
      this.result = {
        state: 'recovered',
        sinceMs: this.startedAtMs,
        ...this.lowering,
        ...base,
        currentP95: point.p95,
        currentFailRate: point.failRate,
        recoveredAfterMs: this.goodSince - this.startedAtMs,
      };
    } else if (now - this.startedAtMs > this.rules.timeoutMs) {
      this.result = {
        state: 'not_recovered',
        sinceMs: this.startedAtMs,
        ...this.lowering,
        ...base,
        currentP95: point.p95,
        currentFailRate: point.failRate,
      };
    } else {
      this.result = {
        state: 'recovering',
        sinceMs: this.startedAtMs,
        ...this.lowering,
        ...base,
        currentP95: point.p95,
        currentFailRate: point.failRate,
      };
    }
    return this.result;
  }

  /** What the baseline's own intervals reached (their p95s' spreadQuantile), once enough were learned; else 0. */
  private spread(): number {
    if (this.p95s.length < this.rules.spreadPoints) return 0;
    const sorted = [...this.p95s].sort((a, b) => a - b);
    return sorted[Math.floor(this.rules.spreadQuantile * (sorted.length - 1))];
  }

  private baseline(): {baselineP95: number; baselineFailRate: number} {
    const sorted = [...this.p95s].sort((a, b) => a - b);
    const median = sorted.length ? sorted[Math.floor(sorted.length / 2)] : 0;
    const fail = this.failRates.length ? this.failRates.reduce((a, b) => a + b, 0) / this.failRates.length : 0;
    return {baselineP95: median, baselineFailRate: fail};
  }
}
