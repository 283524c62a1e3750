// An agent's workers' snapshots merged into one: counts add, histograms add (HDR addition is exact, so the
// controller's percentiles are those of every sample), first-failure times take the earliest. The controller
// then sees one snapshot an agent an interval, its health the agent's. Open WebSockets and event streams are a
// gauge: the agent's sum of each worker's latest count, not a sum over the intervals merged.
import {addEncoded, createHistogram, encode, type Histogram} from '../../kernel/histogram.js';
import type {EndpointInterval, ErrorSample, IntervalSnapshot, ScriptError, SocketGauge, WorkerHealth} from '../../protocol/snapshot.js';

/** Distinct error samples kept per endpoint in a merged snapshot (the aggregator keeps 20 over the run). */
const MAX_ERRORS = 20;

class EndpointSum {
  requests = 0;
  failures = 0;
  histogram: Histogram | undefined;
  uncorrected: Histogram | undefined;
  statusCodes: Record<string, number> = {};
  failuresByKind: Record<string, number> = {};
  firstFailureAt: Record<string, number> = {};
  errors = new Map<string, ErrorSample>();
  redirects: {count: number; to: Record<string, number>} | undefined;
  bytes: number | undefined;
  /** An event stream's gaps (EndpointInterval.gaps): the row stays out of the controller's totals too. */
  gaps = false;

  constructor(
    readonly key: string,
    readonly method: string,
    readonly name: string,
  ) {}

  add(e: EndpointInterval, shift: number): void {
    this.requests += e.requests;
    this.failures += e.failures;
    if (e.bytes !== undefined) this.bytes = (this.bytes ?? 0) + e.bytes;
    if (e.gaps) this.gaps = true;
    if (e.requests > 0) addEncoded((this.histogram ??= createHistogram()), e.histogram);
    if (e.uncorrected) addEncoded((this.uncorrected ??= createHistogram()), e.uncorrected);
    addInto(this.statusCodes, e.statusCodes);
    addInto(this.failuresByKind, e.failuresByKind);
    for (const [kind, at] of Object.entries(e.firstFailureAt)) {
      const t = at + shift;
      if (this.firstFailureAt[kind] === undefined || t < this.firstFailureAt[kind]) this.firstFailureAt[kind] = t;
    }
    for (const s of e.errors) {
      const id = `${s.kind}\u0000${s.message}`;
      const seen = this.errors.get(id);
      if (seen) this.errors.set(id, {...seen, count: seen.count + s.count, ...(seen.body === undefined && s.body ? {body: s.body} : {})});
      else if (this.errors.size < MAX_ERRORS) this.errors.set(id, s);
    }
    if (e.redirects) {
      this.redirects ??= {count: 0, to: {}};
      this.redirects.count += e.redirects.count;
      addInto(this.redirects.to, e.redirects.to);
    }
  }

  build(): EndpointInterval {
    const histogram = this.histogram ?? createHistogram();
    return {
      key: this.key,
      method: this.method,
      name: this.name,
      requests: this.requests,
      failures: this.failures,
      histogram: encode(histogram),
      statusCodes: this.statusCodes,
      failuresByKind: this.failuresByKind,
      firstFailureAt: this.firstFailureAt,
      errors: [...this.errors.values()],
      ...(this.uncorrected ? {uncorrected: encode(this.uncorrected)} : {}),
      ...(this.redirects ? {redirects: this.redirects} : {}),
      ...(this.bytes !== undefined ? {bytes: this.bytes} : {}),
      ...(this.gaps ? {gaps: true as const} : {}),
    };
  }
}

export interface MergeMeta {
  readonly seq: number;
  /** The agent's health: users summed from each worker's latest report, the busiest worker's event loop. */
  readonly health: WorkerHealth;
  /** Added to every epoch time (the controller's clock minus this machine's). */
  readonly shift: number;
  /** Intervals start no earlier than this (epoch ms, this machine's clock): the run's common start. */
  readonly notBefore?: number;
  /**
   * WebSockets and event streams open now over the agent's workers (each one's latest count, also of workers that did
   * not answer this interval); undefined when none of its workers ever opened one. Without it, the snapshots' own counts.
   */
  readonly socketsOpen?: number;
}

/** One snapshot of `snapshots` (any seqs: late ones join), with `meta.health` as its health. */
export function mergeSnapshots(snapshots: ReadonlyArray<IntervalSnapshot>, meta: MergeMeta): IntervalSnapshot {
  const endpoints = new Map<string, EndpointSum>();
  let opened = 0;
  let connects: Histogram | undefined;
  const scriptErrors: ScriptError[] = [];
  let droppedLines = 0;
  let droppedBytes = 0;
  let socketsOpened = 0;
  /** Each worker's latest open count in these snapshots. */
  const socketsOpen = new Map<number, {at: number; open: number}>();
  /** Each worker's most open at once over these snapshots (one late, one on time: the larger, not their sum). */
  const socketsPeak = new Map<number, number>();
  let protocols: Record<string, number> | undefined;
  let retries = 0;
  let from = Infinity;
  let at = 0;
  for (const snap of snapshots) {
    from = Math.min(from, snap.from);
    at = Math.max(at, snap.at);
    for (const e of snap.endpoints) {
      let sum = endpoints.get(e.key);
      if (!sum) endpoints.set(e.key, (sum = new EndpointSum(e.key, e.method, e.name)));
      sum.add(e, meta.shift);
    }
    if (snap.connects) {
      opened += snap.connects.opened;
      addEncoded((connects ??= createHistogram()), snap.connects.histogram);
    }
    if (snap.sockets) {
      socketsOpened += snap.sockets.opened;
      const peak = snap.sockets.peak ?? snap.sockets.open;
      socketsPeak.set(snap.health.workerId, Math.max(peak, socketsPeak.get(snap.health.workerId) ?? 0));
      const seen = socketsOpen.get(snap.health.workerId);
      if (!seen || snap.at >= seen.at) socketsOpen.set(snap.health.workerId, {at: snap.at, open: snap.sockets.open});
    }
    if (snap.protocols) {
      protocols ??= {};
      for (const [k, n] of Object.entries(snap.protocols)) protocols[k] = (protocols[k] ?? 0) + n;
    }
    retries += snap.retries ?? 0;
    for (const s of snap.scriptErrors ?? []) scriptErrors.push({...s, firstAt: s.firstAt + meta.shift});
    droppedLines += snap.droppedOutput?.lines ?? 0;
    droppedBytes += snap.droppedOutput?.bytes ?? 0;
  }
  let sockets: SocketGauge | undefined;
  if (meta.socketsOpen !== undefined || socketsOpen.size > 0) {
    const open = meta.socketsOpen ?? [...socketsOpen.values()].reduce((n, w) => n + w.open, 0);
    const peak = [...socketsPeak.values()].reduce((n, p) => n + p, 0);
    sockets = {open, opened: socketsOpened, peak: Math.max(open, peak)};
  }
  const now = Date.now();
  if (at === 0) at = now;
  if (from === Infinity || from > at) from = at;
  if (meta.notBefore !== undefined) from = Math.min(at, Math.max(from, meta.notBefore));
  return {
    seq: meta.seq,
    from: from + meta.shift,
    at: at + meta.shift,
    health: meta.health,
    endpoints: [...endpoints.values()].map((s) => s.build()),
    ...(connects ? {connects: {opened, histogram: encode(connects)}} : {}),
    ...(sockets ? {sockets} : {}),
    ...(protocols ? {protocols} : {}),
    ...(retries > 0 ? {retries} : {}),
    ...(scriptErrors.length > 0 ? {scriptErrors} : {}),
    ...(droppedLines > 0 || droppedBytes > 0 ? {droppedOutput: {lines: droppedLines, bytes: droppedBytes}} : {}),
  };
}

/**
 * An agent's health from its workers': users and counts add; the event loop is the busiest worker's (a
 * saturated worker is the agent's limit); the open model's counts add over the snapshots merged.
 */
export function mergeHealth(
  agent: number,
  latest: ReadonlyArray<WorkerHealth>,
  merged: ReadonlyArray<IntervalSnapshot>,
  users = latest.reduce((n, h) => n + h.users, 0),
): WorkerHealth {
  const sum = (f: (h: WorkerHealth) => number, list: ReadonlyArray<WorkerHealth>) => list.reduce((n, h) => n + f(h), 0);
  const healths = merged.map((s) => s.health);
  const open = healths.some((h) => h.scheduled !== undefined);
  return {
    workerId: agent,
    elu: Math.max(0, ...latest.map((h) => h.elu)),
    users,
    busyUsers: sum((h) => h.busyUsers, latest),
    stoppingUsers: sum((h) => h.stoppingUsers, latest),
    inFlight: sum((h) => h.inFlight, latest),
    dropped: sum((h) => h.dropped, healths),
    startFailures: sum((h) => h.startFailures, healths),
    endpointOverflow: healths.some((h) => h.endpointOverflow),
    ...(open ? {scheduled: sum((h) => h.scheduled ?? 0, healths), started: sum((h) => h.started ?? 0, healths)} : {}),
  };
}

function addInto(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const k in from) into[k] = (into[k] ?? 0) + from[k];
}
