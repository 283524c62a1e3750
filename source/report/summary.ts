// The run summary as JSON: the fields other tools and later reports rely on. Keep these names stable.
import type {LatencyMs} from '../kernel/histogram.js';
import type {ConnectionFigures, EndpointState, RunEvent, RunState, ScriptErrorState, SeriesPoint} from '../engine/run-state.js';
import type {Segment, SegmentKind} from '../engine/segments.js';
import type {Outage} from '../analysis/outages.js';
import {findBreakingPoint, type BreakingPoint} from '../analysis/breaking-point.js';
import {findOutages} from '../analysis/outages.js';
import type {ThresholdResult} from '../analysis/thresholds.js';
import type {RecoveryStatus} from '../analysis/recovery.js';
import type {ManualChange} from '../plan/commands.js';

/** An endpoint as the run left it (RunState's figures), with its average req/s over the run. */
export type EndpointSummary = Pick<
  EndpointState,
  | 'name'
  | 'method'
  | 'requests'
  | 'failures'
  | 'latencyMs'
  | 'failuresByKind'
  | 'statusCodes'
  | 'firstFailures'
  | 'lastFailures'
  | 'bytes'
  | 'errors'
  | 'uncorrectedLatencyMs'
  | 'redirects'
  | 'gaps'
> & {
  readonly rps: number;
  /** Per interval, the last ones (at most 600), aligned with the end of `series`. Absent in older summaries. */
  readonly history?: EndpointState['history'];
};

export interface Summary {
  readonly brink: string;
  readonly target: string;
  readonly scenario: string;
  /** `quick`: one URL, as hey and oha load it; `scenario`: a scenario file. Absent in older summaries. */
  readonly mode?: 'quick' | 'scenario';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly peakUsers: number;
  /** As in RunState, with rps over the run's duration. */
  readonly totals: RunState['totals'];
  readonly endpoints: ReadonlyArray<EndpointSummary>;
  /** Exceptions in tasks and task timeouts, by task, place and message: never requests. Absent in older summaries. */
  readonly scriptErrors?: ReadonlyArray<ScriptErrorState>;
  /**
   * Connections opened over the run and their connect times, which no request latency includes; and the WebSockets and
   * event streams the users held: the most open at once (at an interval's end) and how many opened. Absent in older summaries.
   */
  readonly connections?: Pick<ConnectionFigures, 'opened' | 'connectMs'> & {
    readonly sockets?: {readonly peak: number; readonly opened: number};
  };
  readonly series: ReadonlyArray<SeriesPoint>;
  readonly events: ReadonlyArray<RunEvent>;
  readonly warnings: ReadonlyArray<string>;
  readonly generator: {
    readonly workers: number;
    readonly maxEventLoopUtilisation: number;
    readonly saturatedIntervals: number;
    readonly startFailures: number;
  };
  /**
   * What the scenario wrote to its console (every worker's stdout and stderr, counted as written): shown on
   * stderr headless, kept from the live view. `droppedBytes` of it never left its worker (it logged faster
   * than it could be passed on). Absent in older summaries.
   */
  readonly consoleOutput?: ConsoleOutput;
  /** True when the run was cut short (Ctrl-C, q, a signal). */
  readonly interrupted: boolean;
  /** The load plan as given, and every change made by keys, with its time. */
  readonly plan: string;
  readonly manualChanges: ReadonlyArray<ManualChange>;
  /** Per step (or stage, or minute): the degradation table. Every request and failure is in exactly one step. */
  readonly steps: ReadonlyArray<StepSummary>;
  readonly breakingPoint: BreakingPoint;
  /** Stretches where the target failed, at any load (absent in older summaries). */
  readonly outages?: ReadonlyArray<Outage>;
  readonly recovery: RecoveryStatus;
  /** Each threshold judged on the whole run; any `pass: false` makes brink exit 99. */
  readonly thresholds: ReadonlyArray<ThresholdResult>;
  /** Why abort-on-fail stopped the run, when it did. */
  readonly aborted?: string;
  /** A run on brink agents (--agents): each one's share, as the controller counted it. Absent otherwise. */
  readonly agents?: ReadonlyArray<AgentSummary>;
}

/** An agent of a run over many machines: the most users it ran at once, what it sent, and whether it was lost. */
export interface AgentSummary {
  readonly name: string;
  readonly host: string;
  readonly users: number;
  readonly requests: number;
  readonly failures: number;
  readonly lost: boolean;
  /** Why it was lost, in the words of the run's event: "stopped reporting for 3 s", "it left: …". */
  readonly lostWhy?: string;
}

export interface StepSummary {
  readonly step: number;
  readonly label: string;
  /** start (before the plan's first step), step, manual (a key), recovery (back at the baseline: not judged). */
  readonly kind: SegmentKind;
  readonly fromMs: number;
  readonly toMs: number;
  /** Latency and req/s count from here: the step's first interval is its settling time (users ramping, queues draining). */
  readonly settledFromMs: number;
  readonly users: number;
  /** Every request and failure in the step, its settling time included: the steps add up to `totals`. */
  readonly requests: number;
  readonly failures: number;
  readonly dropped: number;
  readonly scriptErrors: number;
  readonly rps: number;
  readonly failRate: number;
  readonly latencyMs: LatencyMs;
  readonly failuresByKind: Readonly<Record<string, number>>;
}

export interface ConsoleOutput {
  readonly lines: number;
  readonly bytes: number;
  readonly droppedBytes: number;
}

export interface SummaryInfo {
  readonly target: string;
  readonly scenario: string;
  readonly mode?: 'quick' | 'scenario';
  readonly version: string;
  readonly interrupted: boolean;
  readonly saturatedIntervals: number;
  readonly maxElu: number;
  readonly plan: string;
  readonly manualChanges: ReadonlyArray<ManualChange>;
  readonly recovery: RecoveryStatus;
  readonly thresholds: ReadonlyArray<ThresholdResult>;
  readonly aborted?: string;
  readonly consoleOutput?: ConsoleOutput;
}

/** A segment as the summary's step table gives it. */
export function stepSummary(s: Segment): StepSummary {
  return {
    step: s.index,
    label: s.label,
    kind: s.kind,
    fromMs: s.fromMs,
    toMs: s.toMs,
    settledFromMs: s.settledFromMs,
    users: s.users,
    requests: s.requests,
    failures: s.failures,
    dropped: s.dropped,
    scriptErrors: s.scriptErrors,
    rps: round(s.rps),
    failRate: round(s.failRate, 4),
    latencyMs: s.latencyMs,
    failuresByKind: s.failuresByKind,
  };
}

export function summarize(state: RunState, info: SummaryInfo): Summary {
  const seconds = Math.max(0.001, state.elapsedMs / 1000);
  return {
    brink: info.version,
    // Free text that can carry a request's secrets is redacted before it gets here: what came from the workers as it
    // entered RunState (engine/aggregator.ts), the target and the scenario's name where the run is wired (cli/run.ts).
    target: info.target,
    scenario: info.scenario,
    ...(info.mode ? {mode: info.mode} : {}),
    startedAt: new Date(state.startedAt).toISOString(),
    durationMs: state.elapsedMs,
    peakUsers: Math.max(0, ...state.series.map((p) => p.users)),
    totals: {
      requests: state.totals.requests,
      failures: state.totals.failures,
      rps: round(state.totals.requests / seconds),
      latencyMs: state.totals.latencyMs,
      failuresByKind: state.totals.failuresByKind,
      dropped: state.totals.dropped,
      scriptErrors: state.totals.scriptErrors,
      ...(state.totals.latencyBuckets ? {latencyBuckets: state.totals.latencyBuckets} : {}),
      ...(state.totals.statusCodes ? {statusCodes: state.totals.statusCodes} : {}),
      ...(state.totals.scheduled !== undefined ? {scheduled: state.totals.scheduled, started: state.totals.started} : {}),
      ...(state.totals.uncorrectedLatencyMs ? {uncorrectedLatencyMs: state.totals.uncorrectedLatencyMs} : {}),
      ...(state.totals.protocols ? {protocols: state.totals.protocols, retries: state.totals.retries ?? 0} : {}),
    },
    endpoints: [...state.endpoints]
      .sort((a, b) => b.requests - a.requests)
      .map((e) => ({
        name: e.name,
        method: e.method,
        requests: e.requests,
        failures: e.failures,
        rps: round(e.requests / seconds),
        latencyMs: e.latencyMs,
        failuresByKind: e.failuresByKind,
        statusCodes: e.statusCodes,
        firstFailures: e.firstFailures,
        ...(e.lastFailures ? {lastFailures: e.lastFailures} : {}),
        ...(e.bytes !== undefined ? {bytes: e.bytes} : {}),
        errors: e.errors,
        ...(e.uncorrectedLatencyMs ? {uncorrectedLatencyMs: e.uncorrectedLatencyMs} : {}),
        ...(e.redirects ? {redirects: e.redirects} : {}),
        ...(e.gaps ? {gaps: e.gaps} : {}),
        history: e.history.map((h) => ({rps: round(h.rps), failRate: round(h.failRate, 4), p50: h.p50, p95: h.p95, p99: h.p99})),
      })),
    scriptErrors: state.scriptErrors,
    connections: {
      opened: state.connections.opened,
      connectMs: state.connections.connectMs,
      ...(state.connections.sockets ? {sockets: {peak: state.connections.sockets.peak, opened: state.connections.sockets.opened}} : {}),
    },
    series: state.series.map((p) => ({...p, rps: round(p.rps), failRate: round(p.failRate, 4)})),
    events: state.events,
    warnings: state.warnings,
    generator: {
      workers: state.health.workers.length,
      maxEventLoopUtilisation: round(info.maxElu, 3),
      saturatedIntervals: info.saturatedIntervals,
      startFailures: state.startFailures,
    },
    ...(info.consoleOutput
      ? {consoleOutput: {lines: info.consoleOutput.lines, bytes: info.consoleOutput.bytes, droppedBytes: info.consoleOutput.droppedBytes}}
      : {}),
    interrupted: info.interrupted,
    plan: info.plan,
    manualChanges: info.manualChanges,
    steps: state.segments.map(stepSummary),
    breakingPoint: findBreakingPoint(state.segments, state.endpoints),
    outages: findOutages(state.series),
    recovery: info.recovery,
    thresholds: info.thresholds,
    ...(info.aborted ? {aborted: info.aborted} : {}),
    ...agentsOf(state),
  };
}

function agentsOf(state: RunState): {agents?: AgentSummary[]} {
  const agents = state.health.workers.flatMap(({agent: a}) =>
    a
      ? [
          {
            name: a.name,
            host: a.host,
            users: a.peakUsers,
            requests: a.requests,
            failures: a.failures,
            lost: a.lost,
            ...(a.lost && a.lostWhy ? {lostWhy: a.lostWhy} : {}),
          },
        ]
      : [],
  );
  return agents.length > 0 ? {agents} : {};
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
