// Merges the workers' interval snapshots into cumulative totals and a time series, and produces the
// RunState. Histograms are merged, never raw samples, so memory does not grow with the request count.
// Every text that comes in (endpoint names, error messages and body samples, script errors, redirect targets,
// events) is redacted here, as it enters: RunState, and so the live view, Prometheus and every report, never
// holds a secret, and endpoints that differ only by a secret (`/verify/<jwt>`) are one row.
import os from 'node:os';
import {redact} from '../kernel/redact.js';
import {addEncoded, boundCounts, createHistogram, latencyMs, linearBuckets, type BoundCounts, type Histogram} from '../kernel/histogram.js';
import {Segments} from './segments.js';
import {notReused, SLOW_CONNECT_MS} from './connections.js';
import {
  OVERFLOW_KEY,
  OVERFLOW_NAME,
  type EndpointInterval,
  type ErrorSample,
  type IntervalSnapshot,
  type WorkerHealth,
} from '../protocol/snapshot.js';
import {attemptFailRate, type ScriptErrorState} from './run-state.js';

const OVERFLOW_WARNING = 'too many distinct endpoint names: the rest are grouped in one row; give dynamic URLs a `name`';
const OUTPUT_WARNING =
  'the scenario logged faster than brink could pass its console output on: the excess was dropped in the workers (counted, not shown)';
import type {EndpointState, IntervalFigures, RunEvent, RunState, SeriesPoint} from './run-state.js';

const HISTORY = 600;
/** Texts redacted once and remembered: the same names and messages come back every interval. */
const REDACTED_CACHE = 4096;
const MAX_EVENTS = 500;
const MAX_ERRORS = 20;
/** Distinct script errors kept over the run; later ones add to the count only. */
const MAX_SCRIPT_ERRORS = 50;
const MAX_REDIRECT_TARGETS = 10;
/** Hosts held back by the workers' guard that are named in a warning; more are counted in their failure kind only. */
const MAX_BLOCKED_WARNINGS = 5;
/** Above this event-loop utilisation a worker cannot keep up: latencies include brink's own queueing. */
const SATURATED_ELU = 0.9;

class EndpointTotals {
  requests = 0;
  failures = 0;
  readonly histogram = createHistogram();
  readonly interval = createHistogram();
  /** Open model: from when each request went out (see EndpointInterval.uncorrected). */
  uncorrected: Histogram | undefined;
  redirects = 0;
  redirectTargets: Record<string, number> = {};
  /** An event stream's gaps (EndpointInterval.gaps): a row, but not part of the run's totals. */
  gaps = false;
  bytes = 0;
  intervalRequests = 0;
  intervalFailures = 0;
  intervalKinds: Record<string, number> = {};
  statusCodes: Record<string, number> = {};
  failuresByKind: Record<string, number> = {};
  firstFailures: Record<string, {atMs: number; users: number}> = {};
  /** The end of the last interval that had a failure of each kind, ms since the run started. */
  lastFailures: Record<string, number> = {};
  errors = new Map<string, ErrorSample>();
  history: IntervalFigures[] = [];
  now: IntervalFigures = {rps: 0, failRate: 0, p50: 0, p95: 0, p99: 0};

  constructor(
    readonly key: string,
    readonly method: string,
    readonly name: string,
  ) {}
}

export interface TickMeta {
  /** Epoch ms of this tick. */
  readonly at: number;
  readonly users: number;
  readonly targetUsers: number;
  readonly cpuCores: number;
  /** Open model: the target iterations a second. */
  readonly rate?: number;
}

export class Aggregator {
  private readonly endpoints = new Map<string, EndpointTotals>();
  private readonly total = createHistogram();
  private readonly intervalTotal = createHistogram();
  private readonly series: SeriesPoint[] = [];
  private readonly events: RunEvent[] = [];
  private readonly warnings = new Set<string>();
  /** Per-stage figures; the steering controller cuts them. */
  readonly segments = new Segments();
  private health: WorkerHealth[] = [];
  private requests = 0;
  private failures = 0;
  private dropped = 0;
  private scheduled = 0;
  private started = 0;
  private uncorrected: Histogram | undefined;
  private scriptErrorCount = 0;
  /** Script errors recorded since the last tick, outside any snapshot: counted in the next interval. */
  private pendingScriptErrors = 0;
  private readonly scriptErrors = new Map<string, ScriptErrorState>();
  private failuresByKind: Record<string, number> = {};
  private startFailures = 0;
  /** Connections opened, and the time each took to come up (not part of any request's latency). */
  private readonly connectTimes = createHistogram();
  private opened = 0;
  /** --http2: responses by protocol, and requests sent again as never processed (worker/http/h2-watch.ts). */
  private protocols: Record<string, number> | undefined;
  private retries = 0;
  private openedPerSecond = 0;
  /** Each worker's WebSockets and event streams open at its last snapshot; undefined until one opens any. */
  private socketsOpen: Map<number, number> | undefined;
  /** Each worker's most open at once in its latest interval: their sum bounds the run's peak from above. */
  private socketsPeak: Map<number, number> | undefined;
  private readonly sockets = {open: 0, peak: 0, opened: 0};
  /** What the connections said of the target, said once each in the event log. */
  private toldChurn = false;
  private toldSlowAccept = false;
  /** Requests held back from a host that is not loopback or private (`blocked_host`): each host said once, as a warning. */
  private readonly toldBlocked = new Set<string>();
  private peakUsers = 0;
  private lastTickAt: number;
  private lastMeta: TickMeta;
  private lastNow: IntervalFigures = {rps: 0, failRate: 0, p50: 0, p95: 0, p99: 0};
  private state: RunState;
  private readonly redacted = new Map<string, string>();

  constructor(
    readonly startedAt: number,
    private readonly maxEndpoints = 200,
  ) {
    this.lastTickAt = startedAt;
    this.lastMeta = {at: startedAt, users: 0, targetUsers: 0, cpuCores: 0};
    this.state = this.build({at: startedAt, users: 0, targetUsers: 0, cpuCores: 0}, {rps: 0, failRate: 0, p50: 0, p95: 0, p99: 0});
  }

  /** Each endpoint's whole-run latency as cumulative counts at `boundsUs` (for Prometheus histograms). */
  latencyCounts(boundsUs: readonly number[]): Array<{readonly method: string; readonly name: string; readonly counts: BoundCounts}> {
    return [...this.endpoints.values()].map((e) => ({method: e.method, name: e.name, counts: boundCounts(e.histogram, boundsUs)}));
  }

  /** The time connections took to open, as cumulative counts at `boundsUs`. */
  connectCounts(boundsUs: readonly number[]): BoundCounts {
    return boundCounts(this.connectTimes, boundsUs);
  }

  get current(): RunState {
    return this.state;
  }

  /** Notes an event; one dated in the past (an outage found at the end of its first interval) goes where its time puts it. */
  event(kind: RunEvent['kind'], text: string, at = Date.now()): void {
    const e = {atMs: at - this.startedAt, kind, text: this.clean(text)};
    let i = this.events.length;
    while (i > 0 && this.events[i - 1].atMs > e.atMs) i--;
    this.events.splice(i, 0, e);
    if (this.events.length > MAX_EVENTS) this.events.shift();
  }

  /** Folds one tick's snapshots (one per worker that answered) into the run; returns the new state. */
  tick(snapshots: ReadonlyArray<IntervalSnapshot>, meta: TickMeta): RunState {
    // Rates divide by the longest span any snapshot covers: a late snapshot carries more than one tick.
    const span = Math.max(meta.at - this.lastTickAt, ...snapshots.map((s) => s.at - s.from));
    const seconds = Math.max(0.001, span / 1000);
    this.lastTickAt = meta.at;
    const health = new Map(this.health.map((h) => [h.workerId, h]));
    let requests = 0;
    let failures = 0;
    let dropped = 0;
    let scriptErrors = this.pendingScriptErrors;
    this.pendingScriptErrors = 0;
    let inFlight = 0;
    let opened = 0;
    const kinds: Record<string, number> = {};
    for (const snap of snapshots) {
      if (snap.connects) {
        opened += snap.connects.opened;
        addEncoded(this.connectTimes, snap.connects.histogram);
      }
      if (snap.sockets) {
        (this.socketsOpen ??= new Map()).set(snap.health.workerId, snap.seq === -1 ? 0 : snap.sockets.open);
        (this.socketsPeak ??= new Map()).set(snap.health.workerId, snap.sockets.peak ?? snap.sockets.open);
        this.sockets.opened += snap.sockets.opened;
      } else if (snap.seq === -1) {
        // A worker's (or a lost agent's) last word, without a gauge: whatever it held is gone with it.
        this.socketsOpen?.set(snap.health.workerId, 0);
      }
      if (snap.protocols) addInto((this.protocols ??= {}), snap.protocols);
      this.retries += snap.retries ?? 0;
      health.set(snap.health.workerId, snap.health);
      this.startFailures += snap.health.startFailures;
      dropped += snap.health.dropped;
      this.scheduled += snap.health.scheduled ?? 0;
      this.started += snap.health.started ?? 0;
      for (const e of snap.scriptErrors ?? []) scriptErrors += this.scriptError(e);
      if (snap.health.endpointOverflow) this.warnings.add(OVERFLOW_WARNING);
      if (snap.droppedOutput) this.warnings.add(OUTPUT_WARNING);
      for (const w of snap.warnings ?? []) this.scenarioWarning(this.clean(w), snap.at);
      for (const e of snap.endpoints) {
        this.merge(e, meta);
        if (e.gaps) continue; // a stream's gaps are not requests
        requests += e.requests;
        failures += e.failures;
        for (const [k, n] of Object.entries(e.failuresByKind)) kinds[k] = (kinds[k] ?? 0) + n;
      }
    }
    this.health = [...health.values()].sort((a, b) => a.workerId - b.workerId);
    for (const h of this.health) inFlight += h.inFlight;
    // An iteration the open model dropped is a failure of the run (no endpoint's: it never chose one).
    if (dropped > 0) {
      failures += dropped;
      kinds.dropped = (kinds.dropped ?? 0) + dropped;
    }
    for (const ep of this.endpoints.values()) if (!ep.gaps) this.intervalTotal.add(ep.interval);
    const socketsOpen = this.openSockets();
    this.segments.add({
      atMs: meta.at - this.startedAt,
      seconds,
      users: meta.users,
      targetUsers: meta.targetUsers,
      histogram: this.intervalTotal,
      requests,
      failures,
      failuresByKind: kinds,
      dropped,
      scriptErrors,
      endpoints: [...this.endpoints.values()]
        .filter((ep) => !ep.gaps && (ep.intervalRequests > 0 || ep.intervalFailures > 0))
        .map((ep) => ({
          key: ep.key,
          histogram: ep.interval,
          requests: ep.intervalRequests,
          failures: ep.intervalFailures,
          failuresByKind: ep.intervalKinds,
        })),
    });
    for (const ep of this.endpoints.values()) this.closeInterval(ep, seconds);
    this.requests += requests;
    this.failures += failures;
    this.dropped += dropped;
    this.scriptErrorCount += scriptErrors;
    this.opened += opened;
    this.openedPerSecond = opened / seconds;
    this.peakUsers = Math.max(this.peakUsers, meta.users);
    this.connectionEvents(opened, requests, meta.at);
    for (const [k, n] of Object.entries(kinds)) this.failuresByKind[k] = (this.failuresByKind[k] ?? 0) + n;
    const now = figures(this.intervalTotal, requests, failures, seconds, dropped);
    this.intervalTotal.reset();
    this.series.push({
      ...now,
      t: (meta.at - this.startedAt) / 1000,
      users: meta.users,
      targetUsers: meta.targetUsers,
      requests,
      failures,
      failuresByKind: kinds,
      dropped,
      // The whole run's latency so far (Locust's stats history shows it each interval).
      cumulative: latencyMs(this.total),
      connects: opened,
      ...(socketsOpen !== undefined ? {sockets: socketsOpen} : {}),
      inFlight,
      scriptErrors,
      ...(meta.rate !== undefined ? {rate: meta.rate} : {}),
    });
    this.lastMeta = meta;
    this.lastNow = now;
    this.state = this.build(meta, now);
    return this.state;
  }

  /** The run ended: closes the open segment and returns the final state. */
  finish(): RunState {
    this.segments.finish();
    this.state = this.build(this.lastMeta, this.lastNow);
    return this.state;
  }

  /** The text as every output may show it (see redact.ts). */
  private clean(text: string): string {
    let out = this.redacted.get(text);
    if (out === undefined) {
      if (this.redacted.size >= REDACTED_CACHE) this.redacted.clear();
      out = redact(text);
      this.redacted.set(text, out);
    }
    return out;
  }

  private merge(raw: EndpointInterval, meta: TickMeta): void {
    const e = {...raw, key: this.clean(raw.key), name: this.clean(raw.name)};
    let ep = this.endpoints.get(e.key);
    if (!ep && this.endpoints.size - (this.endpoints.has(OVERFLOW_KEY) ? 1 : 0) >= this.maxEndpoints) {
      // Each worker caps its names; across workers the total could still grow, so cap it here too.
      this.warnings.add(OVERFLOW_WARNING);
      ep = this.endpoints.get(OVERFLOW_KEY);
      if (!ep) {
        ep = new EndpointTotals(OVERFLOW_KEY, '*', OVERFLOW_NAME);
        this.endpoints.set(OVERFLOW_KEY, ep);
      }
    }
    if (!ep) {
      ep = new EndpointTotals(e.key, e.method, e.name);
      ep.gaps = e.gaps === true;
      this.endpoints.set(e.key, ep);
    }
    ep.requests += e.requests;
    ep.failures += e.failures;
    ep.intervalRequests += e.requests;
    ep.intervalFailures += e.failures;
    if (e.requests > 0) {
      addEncoded(ep.interval, e.histogram);
    }
    if (e.uncorrected) {
      addEncoded((ep.uncorrected ??= createHistogram()), e.uncorrected);
      addEncoded((this.uncorrected ??= createHistogram()), e.uncorrected);
    }
    if (e.redirects) {
      ep.redirects += e.redirects.count;
      for (const [rawTo, n] of Object.entries(e.redirects.to)) {
        const to = this.clean(rawTo);
        if (to in ep.redirectTargets || Object.keys(ep.redirectTargets).length < MAX_REDIRECT_TARGETS)
          ep.redirectTargets[to] = (ep.redirectTargets[to] ?? 0) + n;
      }
    }
    ep.bytes += e.bytes ?? 0;
    addInto(ep.statusCodes, e.statusCodes);
    addInto(ep.failuresByKind, e.failuresByKind);
    addInto(ep.intervalKinds, e.failuresByKind);
    for (const kind in e.failuresByKind) ep.lastFailures[kind] = meta.at - this.startedAt;
    for (const [kind, at] of Object.entries(e.firstFailureAt)) {
      const seen = ep.firstFailures[kind];
      if (!seen || at - this.startedAt < seen.atMs) {
        if (!seen) this.event('failure', `${e.key} first ${kind} at ${meta.users} users`, at);
        ep.firstFailures[kind] = {atMs: at - this.startedAt, users: meta.users};
      }
    }
    for (const raw of e.errors) {
      const s = {...raw, message: this.clean(raw.message), ...(raw.body !== undefined ? {body: this.clean(raw.body)} : {})};
      if (s.kind === 'blocked_host') this.blockedHost(s.message, e.firstFailureAt.blocked_host);
      const id = `${s.kind}\u0000${s.message}`;
      const seen = ep.errors.get(id);
      if (seen)
        ep.errors.set(id, {
          ...seen,
          count: seen.count + s.count,
          ...(seen.body === undefined && s.body !== undefined ? {body: s.body} : {}),
        });
      else if (ep.errors.size < MAX_ERRORS) ep.errors.set(id, s);
    }
  }

  /**
   * A worker held a request back from a host that is neither loopback nor private (a redirect there, an absolute
   * URL in a task): the run was not given --yes. Nothing was sent; said once a host, in the events and the summary.
   */
  /** A worker's warning about the scenario: in the summary, and in the event log the first time any worker says it. */
  private scenarioWarning(message: string, at: number): void {
    if (this.warnings.has(message)) return;
    this.warnings.add(message);
    this.event('warning', message, at);
  }

  private blockedHost(message: string, at: number | undefined): void {
    if (this.toldBlocked.has(message) || this.toldBlocked.size >= MAX_BLOCKED_WARNINGS) return;
    this.toldBlocked.add(message);
    this.warnings.add(message);
    this.event('warning', message, at);
  }

  /** A script error the engine found itself (not in any worker's snapshot): a task that blocked its worker. */
  recordScriptError(task: string, where: string | undefined, message: string): void {
    this.pendingScriptErrors += this.scriptError({task, ...(where ? {where} : {}), message, count: 1, firstAt: Date.now()});
  }

  /** Folds one worker's script error; says so in the event log the first time a task fails at a place. Returns its count. */
  private scriptError(raw: {task: string; where?: string; message: string; count: number; firstAt: number}): number {
    const e = {...raw, task: this.clean(raw.task), message: this.clean(raw.message), where: raw.where && this.clean(raw.where)};
    const id = `${e.task}\u0000${e.where ?? ''}\u0000${e.message}`;
    const seen = this.scriptErrors.get(id);
    if (seen) this.scriptErrors.set(id, {...seen, count: seen.count + e.count});
    else if (this.scriptErrors.size < MAX_SCRIPT_ERRORS) {
      const place = `${e.task}${e.where ? ` (${e.where})` : ''}`;
      if (![...this.scriptErrors.values()].some((s) => s.task === e.task && s.where === e.where)) {
        this.event('warning', `script error in ${place}: ${e.message}`, e.firstAt);
      }
      this.scriptErrors.set(id, {
        task: e.task,
        ...(e.where ? {where: e.where} : {}),
        message: e.message,
        count: e.count,
        firstAtMs: e.firstAt - this.startedAt,
      });
    }
    return e.count;
  }

  /** Connections not reused, or slow to open, are worth an event the first time they show. */
  private connectionEvents(opened: number, requests: number, at: number): void {
    if (!this.toldChurn && requests >= 50 && notReused(opened, requests, this.opened, this.peakUsers)) {
      this.toldChurn = true;
      this.event(
        'warning',
        `${opened} connections opened for ${requests} requests: connections are not reused (the target closes them after each response, or sooner than the users' think time)`,
        at,
      );
    }
    const maxMs = this.connectTimes.totalCount > 0 ? this.connectTimes.maxValue / 1000 : 0;
    if (!this.toldSlowAccept && maxMs >= SLOW_CONNECT_MS) {
      this.toldSlowAccept = true;
      this.event(
        'warning',
        `a connection took ${(maxMs / 1000).toFixed(1)} s to open: the target accepts too slowly (a full accept queue drops SYNs)`,
        at,
      );
    }
  }

  /** WebSockets and event streams open now, over the workers; undefined while none was ever opened. */
  private openSockets(): number | undefined {
    if (!this.socketsOpen) return undefined;
    let open = 0;
    for (const n of this.socketsOpen.values()) open += n;
    this.sockets.open = open;
    let peak = open;
    if (this.socketsPeak) {
      let sum = 0;
      for (const n of this.socketsPeak.values()) sum += n;
      peak = Math.max(peak, sum);
      this.socketsPeak.clear();
    }
    if (peak > this.sockets.peak) this.sockets.peak = peak;
    return open;
  }

  private closeInterval(ep: EndpointTotals, seconds: number): void {
    ep.histogram.add(ep.interval);
    if (!ep.gaps) this.total.add(ep.interval);
    ep.now = figures(ep.interval, ep.intervalRequests, ep.intervalFailures, seconds);
    ep.history.push(ep.now);
    if (ep.history.length > HISTORY) ep.history.shift();
    ep.interval.reset();
    ep.intervalRequests = 0;
    ep.intervalFailures = 0;
    ep.intervalKinds = {};
  }

  private build(meta: TickMeta, now: IntervalFigures): RunState {
    const elapsedMs = meta.at - this.startedAt;
    const maxElu = Math.max(0, ...this.health.map((h) => h.elu));
    const endpoints: EndpointState[] = [...this.endpoints.values()].map((ep) => ({
      key: ep.key,
      method: ep.method,
      name: ep.name,
      requests: ep.requests,
      failures: ep.failures,
      latencyMs: latencyMs(ep.histogram),
      statusCodes: {...ep.statusCodes},
      failuresByKind: {...ep.failuresByKind},
      firstFailures: {...ep.firstFailures},
      lastFailures: {...ep.lastFailures},
      bytes: ep.bytes,
      errors: [...ep.errors.values()].sort((a, b) => b.count - a.count),
      now: ep.now,
      history: ep.history.slice(-HISTORY),
      ...(ep.uncorrected ? {uncorrectedLatencyMs: latencyMs(ep.uncorrected)} : {}),
      ...(ep.redirects > 0 ? {redirects: {count: ep.redirects, to: {...ep.redirectTargets}}} : {}),
      ...(ep.gaps ? {gaps: true as const} : {}),
    }));
    return {
      startedAt: this.startedAt,
      elapsedMs,
      users: {active: meta.users, target: meta.targetUsers, stopping: this.health.reduce((n, h) => n + h.stoppingUsers, 0)},
      totals: {
        requests: this.requests,
        failures: this.failures,
        rps: elapsedMs > 0 ? this.requests / (elapsedMs / 1000) : 0,
        latencyMs: latencyMs(this.total),
        failuresByKind: {...this.failuresByKind},
        dropped: this.dropped,
        scriptErrors: this.scriptErrorCount,
        latencyBuckets: linearBuckets(this.total),
        statusCodes: sumCodes(this.endpoints.values()),
        ...(this.scheduled > 0 ? {scheduled: this.scheduled, started: this.started} : {}),
        ...(this.uncorrected ? {uncorrectedLatencyMs: latencyMs(this.uncorrected)} : {}),
        ...(this.protocols ? {protocols: {...this.protocols}, retries: this.retries} : {}),
      },
      scriptErrors: [...this.scriptErrors.values()].sort((a, b) => b.count - a.count),
      rate: meta.rate,
      now,
      endpoints,
      series: this.series.slice(),
      health: {
        workers: this.health,
        maxElu,
        cpuCores: meta.cpuCores,
        cores: os.availableParallelism(),
        saturated: maxElu >= SATURATED_ELU,
      },
      connections: {
        opened: this.opened,
        perSecond: this.openedPerSecond,
        connectMs: latencyMs(this.connectTimes),
        ...(this.socketsOpen ? {sockets: {...this.sockets}} : {}),
      },
      events: this.events.slice(),
      segments: [...this.segments.closed],
      openSegment: this.segments.open(),
      warnings: [...this.warnings],
      startFailures: this.startFailures,
    };
  }

  /** Cumulative latency histogram of an endpoint (or of everything), for reports that need more percentiles. */
  histogram(key?: string): Histogram | undefined {
    return key === undefined ? this.total : this.endpoints.get(key)?.histogram;
  }
}

function figures(h: Histogram, requests: number, failures: number, seconds: number, dropped = 0): IntervalFigures {
  const l = latencyMs(h);
  return {rps: requests / seconds, failRate: attemptFailRate(requests, failures, dropped), p50: l.p50, p95: l.p95, p99: l.p99};
}

function addInto(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const k in from) into[k] = (into[k] ?? 0) + from[k];
}

function sumCodes(endpoints: Iterable<{readonly statusCodes: Readonly<Record<string, number>>}>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of endpoints) addInto(out, e.statusCodes);
  return out;
}
