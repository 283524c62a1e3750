// What a command line asks for, typed: the parser's answer (parse.ts), which cli.ts runs.
import type {Threshold} from '../analysis/thresholds.js';
import type {MetricsAddress} from '../report/prometheus.js';
import type {PlanSpec} from '../plan/plan.js';
import type {CommandName} from './commands.js';
import type {AgentsSpec} from './agent-flags.js';

export interface Common {
  /** `--threshold` expressions, parsed; the scenario's own are added when it loads. */
  readonly thresholds: ReadonlyArray<Threshold>;
  /** --yes: no question before loading a host that is not loopback or private, and no request to one held back. */
  readonly yes: boolean;
  /** --strip-header: headers a redirect to another origin drops, besides the credentials (lower case). */
  readonly stripHeaders: ReadonlyArray<string>;
  /** --max-rps: requests a second brink never exceeds, across all workers. */
  readonly maxRps?: number;
  /** --metrics: serve Prometheus metrics at this address during the run. */
  readonly metrics?: MetricsAddress;
  /** With --abort-on-fail: stop when a threshold stays broken this long. */
  readonly abortAfterMs?: number;
  /** A load plan given by flags; undefined: the scenario's plan, or constant users. */
  readonly plan?: PlanSpec;
  /** --agents: the load runs on brink agents over NATS, this process only controls (readme: Many load boxes). */
  readonly agents?: AgentsSpec;
  readonly headless: boolean;
  /** --json <file>; `-` (or /dev/stdout): stdout, and then the summary and progress go to stderr. */
  readonly json?: string;
  readonly workers?: number;
  readonly timeoutMs: number;
  /** --task-timeout: a scenario task still running after this long is a script failure (default 60 s). */
  readonly taskTimeoutMs: number;
  readonly step: number;
  readonly insecure: boolean;
  /** --http2 (or the scenario's `http2: true`): h2 by ALPN over TLS, h2c over http://, all through undici. */
  readonly http2: boolean;
  /** --color / --no-color; undefined: NO_COLOR decides. */
  readonly color?: boolean;
  /** Reports written at the end: --csv <prefix> (Locust's three files), --html <file>, --md <file> (release record); `-`: stdout. */
  readonly csv?: string;
  /** --csv-full-history: a history row per endpoint too (Locust's flag). */
  readonly csvFullHistory?: boolean;
  readonly html?: string;
  readonly md?: string;
  /** --release <commit>: the target's version under test, for the reports. */
  readonly release?: string;
}

/** Quick mode's and find-limit's one request. */
export interface Request {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** --max-redirects: followed at most; 0: a 3xx is the response. */
  readonly maxRedirects: number;
}

export type Run = Common & {
  readonly command: 'run';
  readonly scenarioFile: string;
  readonly host?: string;
  readonly users: number;
  /** -r; undefined: a 1 s ramp (defaultSpawnRate). */
  readonly spawnRate?: number;
  readonly durationMs?: number;
};
export type Quick = Common &
  Request & {
    readonly command: 'quick';
    readonly url: string;
    readonly connections: number;
    readonly durationMs?: number;
    /** -n: requests to send in all, then the run ends. */
    readonly requests?: number;
  };
export type FindLimit = Common &
  Request & {
    readonly command: 'find-limit';
    readonly target: string;
    readonly host?: string;
    readonly start: number;
    readonly stepUsers: number;
    readonly stepTimeMs: number;
    readonly maxUsers: number;
    readonly recoveryTimeoutMs: number;
  };
export type Demo = Common & {
  readonly command: 'demo';
  readonly serveOnly: boolean;
  readonly port?: number;
  readonly users: number;
  /** -r; undefined: a 1 s ramp (defaultSpawnRate). */
  readonly spawnRate?: number;
  readonly durationMs?: number;
};
export type Compare = {readonly command: 'compare'; readonly oldFile: string; readonly newFile: string; readonly tolerance: number};
/** --help/-h (for one command, or all) and --version/-V: printed, nothing started. */
export type Asks = {readonly command: 'help'; readonly topic?: CommandName} | {readonly command: 'version'; readonly version: string};

export type Invocation = Run | Quick | FindLimit | Demo | Compare | Asks;
