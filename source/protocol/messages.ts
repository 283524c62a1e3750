// Messages between the controller (main thread) and the workers. Plain, serialisable data only
// (histograms travel as compressed base64), so the same messages could cross a process or a network.
import type {IntervalSnapshot} from './snapshot.js';

/** What a worker runs: a bundled scenario file, or the one-URL quick mode. */
export type Workload =
  | {
      readonly kind: 'scenario';
      readonly bundleUrl: string;
      readonly scenarioFile: string;
      /**
       * Headers every request to the target's origin carries unless the scenario sets its own: the Authorization
       * a `user:pass@` in --host or the scenario's host stands for (the host itself comes without it). Never sent
       * to another origin (a redirect there drops it, as it drops every credential).
       */
      readonly headers?: Readonly<Record<string, string>>;
      /** The csv() files its top level named (absolute): what agents on other machines are sent besides the bundle. */
      readonly dataFiles?: ReadonlyArray<string>;
    }
  | {
      readonly kind: 'quick';
      readonly method: string;
      readonly path: string;
      readonly headers: Record<string, string>;
      readonly body?: string;
      /** Redirects followed at most (--max-redirects; default 10); 0: a 3xx is the response. */
      readonly maxRedirects?: number;
    };

/** What every request a worker sends is held to, whatever sends it: quick mode, a scenario, a redirect. */
export interface RequestSafety {
  /**
   * Requests may go to hosts that are neither loopback nor private (--yes, or a yes at the question). Without it
   * such a request is not sent: a failure of kind `blocked_host`.
   */
  readonly allowPublic: boolean;
  /** Headers a redirect to another origin drops besides Authorization, Proxy-Authorization, Cookie and X-Api-Key (--strip-header). */
  readonly stripHeaders?: ReadonlyArray<string>;
}

export interface WorkerInit {
  readonly workerId: number;
  readonly workerCount: number;
  readonly workload: Workload;
  readonly host: string;
  readonly timeoutMs: number;
  /** Bodies are kept for `text()`/`json()` up to this size; the rest is read and dropped. */
  readonly maxBodyBytes: number;
  /** Distinct endpoint names kept per worker before grouping the rest under one overflow row. */
  readonly maxEndpoints: number;
  /** This worker's share of `--max-rps`, requests a second; undefined: no cap. */
  readonly maxRps?: number;
  /** Accept any TLS certificate (`--insecure`). */
  readonly insecure: boolean;
  /** `--http2` (or the scenario's `http2: true`): h2 by ALPN over TLS, h2c over http://, all through undici. */
  readonly http2?: boolean;
  /** A scenario task (onStart, onStop too) still running after this long is a `script` failure; its user goes on. */
  readonly taskTimeoutMs: number;
  /** Absent: no request goes to a host that is neither loopback nor private, and only the credentials are stripped. */
  readonly safety?: RequestSafety;
  /** Quick mode's `-n`: this worker's share of the requests to send, after which its users stop. */
  readonly requestBudget?: number;
}

export type ControlMessage =
  | {readonly type: 'setUsers'; readonly total: number}
  /** Open model: iterations a second across all workers, and the cap on users across all workers. */
  | {readonly type: 'setRate'; readonly perSecond: number; readonly maxUsers: number}
  | {readonly type: 'snapshot'; readonly seq: number}
  | {readonly type: 'stop'; readonly graceMs: number}
  /** Debug: what the worker holds open now (tests check for leaked sockets with it). */
  | {readonly type: 'probe'};

export type WorkerMessage =
  | {readonly type: 'ready'}
  | {readonly type: 'snapshot'; readonly snapshot: IntervalSnapshot}
  | {readonly type: 'fatal'; readonly message: string}
  | {readonly type: 'stopped'; readonly snapshot: IntervalSnapshot}
  /** Every request of the worker's `requestBudget` has ended. */
  | {readonly type: 'spent'}
  | {readonly type: 'probe'; readonly probe: WorkerProbe};

/** A worker's open handles and heap, for leak checks. */
export interface WorkerProbe {
  readonly workerId: number;
  /** process.getActiveResourcesInfo() in the worker, counted by type (TCPSocketWrap, Timeout…). */
  readonly resources: Readonly<Record<string, number>>;
  /** The worker isolate's used heap, bytes. */
  readonly heapUsed: number;
}
