// The state of a run as every consumer sees it: the live view renders it, reports are made from it.
// Plain immutable data, rebuilt by the aggregator once per interval.
import type {LatencyMs} from './histogram.js';
import type {ErrorSample, WorkerHealth} from './snapshot.js';
import type {Segment} from './segments.js';

export interface IntervalFigures {
  readonly rps: number;
  /** Failures / requests in the interval, 0..1. */
  readonly failRate: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

export interface EndpointState {
  readonly key: string;
  readonly method: string;
  readonly name: string;
  readonly requests: number;
  readonly failures: number;
  readonly latencyMs: LatencyMs;
  readonly statusCodes: Readonly<Record<string, number>>;
  readonly failuresByKind: Readonly<Record<string, number>>;
  /** When each failure kind was first seen, ms since the run started, and the users running then. */
  readonly firstFailures: Readonly<Record<string, {readonly atMs: number; readonly users: number}>>;
  readonly errors: ReadonlyArray<ErrorSample>;
  /** The last interval. */
  readonly now: IntervalFigures;
  /** Recent intervals, oldest first (bounded). */
  readonly history: ReadonlyArray<IntervalFigures>;
}

export interface SeriesPoint extends IntervalFigures {
  /** Seconds since the run started, at the end of the interval. */
  readonly t: number;
  readonly users: number;
  readonly targetUsers: number;
  readonly requests: number;
  readonly failures: number;
  readonly failuresByKind: Readonly<Record<string, number>>;
  /** Open model: iterations that could not start on time this interval. */
  readonly dropped: number;
  /** Open model: the target iterations a second. */
  readonly rate?: number;
  /** Connections opened in the interval (absent in older summaries). */
  readonly connects?: number;
}

/**
 * The connections brink opened, and how long each took to come up. Request latencies start once a
 * connection is up (as wrk's and k6's do); a target slow to accept shows here. Many connections for few
 * requests means the target does not keep connections alive.
 */
export interface ConnectionFigures {
  readonly opened: number;
  /** In the last interval. */
  readonly perSecond: number;
  readonly connectMs: LatencyMs;
}

export interface RunEvent {
  readonly atMs: number;
  readonly kind: 'info' | 'users' | 'failure' | 'warning';
  readonly text: string;
}

export interface GeneratorHealth {
  readonly workers: ReadonlyArray<WorkerHealth>;
  /** Highest worker event-loop utilisation, 0..1. */
  readonly maxElu: number;
  /** brink's whole-process CPU over the last interval, in cores (1 = one core busy). */
  readonly cpuCores: number;
  readonly cores: number;
  /** True when brink itself is the bottleneck: the figures then describe brink more than the target. */
  readonly saturated: boolean;
}

export interface RunState {
  readonly startedAt: number;
  readonly elapsedMs: number;
  readonly users: {readonly active: number; readonly target: number; readonly stopping: number};
  readonly totals: {
    readonly requests: number;
    readonly failures: number;
    /** Average over the run. */
    readonly rps: number;
    readonly latencyMs: LatencyMs;
    readonly failuresByKind: Readonly<Record<string, number>>;
    /** Open model: iterations that could not start on time (all users busy and the cap reached). */
    readonly dropped: number;
  };
  /** Open model: the target iterations a second; undefined in the closed model (users). */
  readonly rate: number | undefined;
  readonly now: IntervalFigures;
  readonly endpoints: ReadonlyArray<EndpointState>;
  readonly series: ReadonlyArray<SeriesPoint>;
  readonly health: GeneratorHealth;
  readonly connections: ConnectionFigures;
  readonly events: ReadonlyArray<RunEvent>;
  /** Closed segments (steps, stages, minutes) with exact per-segment figures, and the one still open. */
  readonly segments: ReadonlyArray<Segment>;
  readonly openSegment: Segment | undefined;
  readonly warnings: ReadonlyArray<string>;
  /** Users whose onStart failed, over the run (they are retried). */
  readonly startFailures: number;
}
