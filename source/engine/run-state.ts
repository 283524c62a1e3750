// The state of a run as every consumer sees it: the live view renders it, reports are made from it.
// Plain immutable data, rebuilt by the aggregator once per interval.
import type {LatencyBucket, LatencyMs} from '../kernel/histogram.js';
import type {ErrorSample, WorkerHealth} from '../protocol/snapshot.js';
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
  /** Bytes of response bodies received (absent in older summaries). */
  readonly bytes?: number;
  /** When each failure kind was last seen (the end of its last interval), ms since the run started. */
  readonly lastFailures?: Readonly<Record<string, number>>;
  readonly errors: ReadonlyArray<ErrorSample>;
  /** Open model: latency from when each request went out, beside `latencyMs` (from when it was due). */
  readonly uncorrectedLatencyMs?: LatencyMs;
  /** Requests that were redirected, and where the first hop sent them (path → count, the most common). */
  readonly redirects?: {readonly count: number; readonly to: Readonly<Record<string, number>>};
  /** Its samples are the gaps between an event stream's events, not requests: left out of the run's totals (see EndpointInterval). */
  readonly gaps?: true;
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
  /** Includes `dropped` (kind `dropped`). */
  readonly failuresByKind: Readonly<Record<string, number>>;
  /** Open model: iterations dropped this interval (they waited past the timeout, or the run ended first). */
  readonly dropped: number;
  /** Requests in flight at the end of the interval (absent in older summaries). */
  readonly inFlight?: number;
  /** Script errors in the interval (absent in older summaries). */
  readonly scriptErrors?: number;
  /** Open model: the target iterations a second. */
  readonly rate?: number;
  /** Connections opened in the interval (absent in older summaries). */
  readonly connects?: number;
  /** WebSockets and event streams open at the end of the interval (absent when the run opened none). */
  readonly sockets?: number;
  /** The whole run's latency up to the end of this interval (absent in older summaries). */
  readonly cumulative?: LatencyMs;
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
  /** WebSockets and event streams the users hold: open now, the most open at once, opened in all. Absent when none opened. */
  readonly sockets?: SocketFigures;
}

export interface SocketFigures {
  readonly open: number;
  readonly peak: number;
  readonly opened: number;
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

/** A script error as the run collected it: a task, its place in the scenario, the message, how often. */
export interface ScriptErrorState {
  readonly task: string;
  readonly where?: string;
  readonly message: string;
  readonly count: number;
  /** ms since the run started. */
  readonly firstAtMs: number;
}

/**
 * The failure rate of attempts: failures (dropped iterations included) over requests sent plus iterations
 * dropped. In the closed model nothing is dropped, and this is failures / requests.
 */
export function attemptFailRate(requests: number, failures: number, dropped = 0): number {
  const attempts = requests + dropped;
  return attempts > 0 ? failures / attempts : failures > 0 ? 1 : 0;
}

export interface RunState {
  readonly startedAt: number;
  readonly elapsedMs: number;
  readonly users: {readonly active: number; readonly target: number; readonly stopping: number};
  readonly totals: {
    /** Requests sent (and answered, or failed without an answer). */
    readonly requests: number;
    /** Failed requests, and dropped iterations (open model). */
    readonly failures: number;
    /** Average over the run. */
    readonly rps: number;
    readonly latencyMs: LatencyMs;
    readonly failuresByKind: Readonly<Record<string, number>>;
    /**
     * Open model: iterations dropped, failures of kind `dropped`: they waited for a free user past the timeout,
     * or were still waiting when the run ended.
     */
    readonly dropped: number;
    /** Open model: iterations that fell due, and those that started (scheduled = started + dropped + still waiting). */
    readonly scheduled?: number;
    readonly started?: number;
    /** Open model: latency from when each request went out; `latencyMs` counts from when it was due (wrk2's correction). */
    readonly uncorrectedLatencyMs?: LatencyMs;
    /** Exceptions in tasks and task timeouts: not requests, not in any latency or req/s. */
    readonly scriptErrors: number;
    /** The latency distribution in equal-width bars from fastest to slowest, as hey and oha draw it. */
    readonly latencyBuckets?: ReadonlyArray<LatencyBucket>;
    /** Responses by status code, over every endpoint. */
    readonly statusCodes?: Readonly<Record<string, number>>;
    /**
     * --http2: responses by the protocol they came over (`h2`, `http/1.1`; each redirect hop is a response).
     * Absent without --http2.
     */
    readonly protocols?: Readonly<Record<string, number>>;
    /** --http2: requests sent again on a new connection as the server never processed them (not failures). */
    readonly retries?: number;
  };
  /** The script errors, by task, place and message (most frequent first, at most 50 distinct). */
  readonly scriptErrors: ReadonlyArray<ScriptErrorState>;
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
