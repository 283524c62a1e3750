// What a worker reports each interval: per-endpoint counts and an encoded latency histogram,
// then it resets. Counters only; nothing here grows with the number of requests.

export type FailureKind =
  | `http_${number}`
  | 'timeout'
  | 'conn_refused'
  | 'conn_reset'
  | 'socket_closed'
  | 'dns'
  | 'tls'
  | 'protocol'
  | 'too_many_redirects'
  /** HTTP/2: the server reset the request's stream (RST_STREAM), or closed it before the response was whole. */
  | 'h2_stream_reset'
  /** HTTP/2: a protocol error on the stream or the connection (PROTOCOL_ERROR, a bad frame, a session error). */
  | 'h2_protocol'
  /**
   * HTTP/2: a connection closing after a GOAWAY took the request down. Streams the server never took are sent
   * again (retries, not failures) and those it took are answered before the connection closes
   * (worker/http/h2-watch.ts), so this is rare: a request refused that way on each of its tries, or undici's
   * own handling of a GOAWAY, should brink fail to take it over.
   */
  | 'h2_goaway'
  /** A request to a host that is neither loopback nor private, held back (the run was not given --yes). */
  | 'blocked_host'
  /** brink ran out of file descriptors (EMFILE, ENFILE): a limit of this machine, not a failure of the target. */
  | 'fd_limit'
  | 'check'
  | 'dropped'
  /** A WebSocket handshake answered with an HTTP status instead of 101 (`ws_handshake_403`). */
  | `ws_handshake_${number}`
  /** The server closed a WebSocket the script still held (the message has the close code). */
  | 'ws_closed'
  /** A WebSocket's next() got no message within its timeout. */
  | 'ws_timeout'
  /** The server ended an event stream the script still held. */
  | 'sse_closed'
  /** An event stream's next() got no event within its timeout. */
  | 'sse_timeout'
  | 'other';

export interface ErrorSample {
  readonly kind: string;
  readonly message: string;
  readonly count: number;
  /** The start of the response body (at most BODY_SAMPLE_BYTES), when the failure had one: what a 500 page says broke. */
  readonly body?: string;
}

/** How much of a failed response's body an error sample keeps. */
export const BODY_SAMPLE_BYTES = 200;

/**
 * An exception in a scenario's task (or a task that outlived the task timeout): the script's fault, not the
 * target's. Counted apart from requests: never a request, a latency sample or part of req/s.
 */
export interface ScriptError {
  /** The task's name (`checkout`, `shopper onStart`, `(uncaught error)`). */
  readonly task: string;
  /** `file.ts:line` in the scenario, when the stack says. */
  readonly where?: string;
  readonly message: string;
  readonly count: number;
  /** Epoch ms of its first occurrence in the interval. */
  readonly firstAt: number;
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
  /**
   * Open model: latencies from when each request went out (µs, compressed base64), beside `histogram`, which
   * counts from when it was due (wrk2's corrected latency). Absent in the closed model.
   */
  readonly uncorrected?: string;
  /** Bytes of response bodies received in the interval (Locust's content size). Absent from older workers. */
  readonly bytes?: number;
  /** Responses that redirected (3xx followed), and the first hop's target for the most common ones. */
  readonly redirects?: {readonly count: number; readonly to: Readonly<Record<string, number>>};
  /**
   * The samples are the gaps between an event stream's events (`SSE /events (gap)`), not requests: a row of their
   * own, left out of the run's totals (requests, req/s, latency) and of its steps. Never failures.
   */
  readonly gaps?: true;
}

export interface WorkerHealth {
  readonly workerId: number;
  /** Event-loop utilisation over the interval, 0..1. Near 1 means brink, not the target, is the limit. */
  readonly elu: number;
  readonly users: number;
  /** Users in the middle of an iteration (open model); equals `users` in the closed model. */
  readonly busyUsers: number;
  readonly stoppingUsers: number;
  /**
   * Open model: iterations due this interval (on schedule), started, and dropped (waited past the timeout, or
   * left waiting when the run ended).
   */
  readonly scheduled?: number;
  readonly started?: number;
  readonly dropped: number;
  readonly inFlight: number;
  /** Users whose onStart failed this interval (they retry). */
  readonly startFailures: number;
  /** Endpoint names beyond the cap were grouped under one row. */
  readonly endpointOverflow: boolean;
  /** Set when this "worker" is a brink agent on another machine (its workers' snapshots merged into one). */
  readonly agent?: AgentHealth;
}

/** A brink agent as the controller sees it (protocol/agents.ts): the live view's row, the summary's `agents`. */
export interface AgentHealth {
  readonly name: string;
  /** Its machine's host name. */
  readonly host: string;
  readonly workers: number;
  /** Its process's CPU over the last interval, in cores, and its machine's cores. */
  readonly cpuCores: number;
  readonly cores: number;
  /** Counted by the controller from its snapshots: over the run, and req/s in the last one. */
  readonly requests: number;
  readonly failures: number;
  readonly rps: number;
  /** The most users it ran at once. */
  readonly peakUsers: number;
  /** It stopped reporting (3 s) or went away: its users are gone, unless --rebalance gave them to the others. */
  readonly lost: boolean;
  /** Why it was marked lost: it stopped reporting, or it left (and why). */
  readonly lostWhy?: string;
}

/** Connections opened in an interval, and how long each took to come up (µs, compressed base64 HdrHistogram). */
export interface ConnectInterval {
  readonly opened: number;
  readonly histogram: string;
}

export interface SocketGauge {
  readonly open: number;
  readonly opened: number;
  /** The most open at once since the previous snapshot (a socket can open and close within one interval). */
  readonly peak?: number;
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
  /** WebSockets and event streams the worker's users hold open now, and opened in the interval; absent when it never opened one. */
  readonly sockets?: SocketGauge;
  /** --http2: responses by the protocol they came over (`h2`, `http/1.1`); absent without --http2. */
  readonly protocols?: Readonly<Record<string, number>>;
  /** --http2: requests sent again because the server never processed them (refused, above a GOAWAY). */
  readonly retries?: number;
  /** Script errors of the interval, by task, place and message. */
  readonly scriptErrors?: ReadonlyArray<ScriptError>;
  /** What the worker found wrong with the scenario without an error to count (an un-awaited request), each said once a worker. */
  readonly warnings?: ReadonlyArray<string>;
  /** Console output the worker dropped in the interval, its buffer being full (worker/output-cap.ts). */
  readonly droppedOutput?: {readonly lines: number; readonly bytes: number};
}

/** The row that takes every endpoint name beyond the cap (a scenario that forgot `name` on dynamic URLs). */
export const OVERFLOW_NAME = '(other names: too many distinct endpoints, use `name`)';
export const OVERFLOW_KEY = `* ${OVERFLOW_NAME}`;
