// Messages between the controller (main thread) and the workers. Plain, serialisable data only
// (histograms travel as compressed base64), so the same messages could cross a process or a network.
import type {IntervalSnapshot} from '../metrics/snapshot.js';

/** What a worker runs: a bundled scenario file, or the one-URL quick mode. */
export type Workload =
  | {readonly kind: 'scenario'; readonly bundleUrl: string; readonly scenarioFile: string}
  | {readonly kind: 'quick'; readonly method: string; readonly path: string; readonly headers: Record<string, string>; readonly body?: string};

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
  /** Accept any TLS certificate (`--insecure`). */
  readonly insecure: boolean;
}

export type ControlMessage =
  | {readonly type: 'setUsers'; readonly total: number}
  /** Open model: iterations a second across all workers, and the cap on users across all workers. */
  | {readonly type: 'setRate'; readonly perSecond: number; readonly maxUsers: number}
  | {readonly type: 'snapshot'; readonly seq: number}
  | {readonly type: 'stop'; readonly graceMs: number};

export type WorkerMessage =
  | {readonly type: 'ready'}
  | {readonly type: 'snapshot'; readonly snapshot: IntervalSnapshot}
  | {readonly type: 'fatal'; readonly message: string}
  | {readonly type: 'stopped'; readonly snapshot: IntervalSnapshot};
