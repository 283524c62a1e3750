// What a worker reports each interval: per-endpoint counts and an encoded latency histogram,
// then it resets. Counters only; nothing here grows with the number of requests.

export type FailureKind =
  | `http_${number}`
  | 'timeout' | 'conn_refused' | 'conn_reset' | 'socket_closed' | 'dns' | 'tls'
  | 'protocol' | 'too_many_redirects' | 'check' | 'script' | 'other';

export interface ErrorSample {
  readonly kind: string;
  readonly message: string;
  readonly count: number;
}

export interface EndpointInterval {
  /** `METHOD name`, the endpoint's identity. */
  readonly key: string;
  readonly method: string;
  readonly name: string;
  readonly requests: number;
  readonly failures: number;
  /** Compressed base64 HdrHistogram of latencies in µs. */
  readonly histogram: string;
  readonly statusCodes: Record<string, number>;
  readonly failuresByKind: Record<string, number>;
  /** Epoch ms of the first failure of each kind in this interval. */
  readonly firstFailureAt: Record<string, number>;
  readonly errors: ReadonlyArray<ErrorSample>;
}

export interface WorkerHealth {
  readonly workerId: number;
  /** Event-loop utilisation over the interval, 0..1. Near 1 means brink, not the target, is the limit. */
  readonly elu: number;
  readonly users: number;
  /** Users in the middle of an iteration (open model); equals `users` in the closed model. */
  readonly busyUsers: number;
  readonly stoppingUsers: number;
  /** Open model: iterations that could not start on time (all users busy, cap reached), this interval. */
  readonly dropped: number;
  readonly inFlight: number;
  /** Users whose onStart failed this interval (they retry). */
  readonly startFailures: number;
  /** Endpoint names beyond the cap were grouped under one row. */
  readonly endpointOverflow: boolean;
}

/** Connections opened in an interval, and how long each took to come up (µs, compressed base64 HdrHistogram). */
export interface ConnectInterval {
  readonly opened: number;
  readonly histogram: string;
}

export interface IntervalSnapshot {
  readonly seq: number;
  /** Epoch ms of the worker's previous snapshot: the interval covers [from, at]. */
  readonly from: number;
  /** Epoch ms when the snapshot was taken. */
  readonly at: number;
  readonly health: WorkerHealth;
  readonly endpoints: ReadonlyArray<EndpointInterval>;
  /** Absent when the worker opened no connection in the interval. */
  readonly connects?: ConnectInterval;
  /** Console output the worker dropped in the interval, its buffer being full (worker/output-cap.ts). */
  readonly droppedOutput?: {readonly lines: number; readonly bytes: number};
}

/** The row that takes every endpoint name beyond the cap (a scenario that forgot `name` on dynamic URLs). */
export const OVERFLOW_NAME = '(other names: too many distinct endpoints, use `name`)';
export const OVERFLOW_KEY = `* ${OVERFLOW_NAME}`;
