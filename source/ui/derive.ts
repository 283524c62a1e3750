// Pure selectors from RunState to what the panels show. Called from useMemo in the container,
// so they run once per state update, not once per frame.
import type {LatencyMs} from '../kernel/histogram.js';
import type {EndpointState, IntervalFigures, RunState} from '../engine/run-state.js';
import type {ErrorSample} from '../protocol/snapshot.js';
import type {SortKey} from './keymap.js';
import {describeKind, dominantKind, type Outage} from '../analysis/outages.js';

const byName = (a: EndpointState, b: EndpointState) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

const COMPARE: Readonly<Record<SortKey, (a: EndpointState, b: EndpointState) => number>> = {
  traffic: (a, b) => b.requests - a.requests || byName(a, b),
  p95: (a, b) => b.latencyMs.p95 - a.latencyMs.p95 || b.requests - a.requests || byName(a, b),
  failures: (a, b) => b.failures - a.failures || b.requests - a.requests || byName(a, b),
};

export function sortEndpoints(endpoints: ReadonlyArray<EndpointState>, sort: SortKey): EndpointState[] {
  return [...endpoints].sort(COMPARE[sort]);
}

/** An endpoint's label: "POST /api/orders". */
export const endpointLabel = (e: EndpointState): string => (e.name.startsWith(e.method) ? e.name : `${e.method} ${e.name}`);

export interface KindShare {
  readonly kind: string;
  readonly count: number;
  /** 0..1 of all failures in the same scope. */
  readonly share: number;
}

/** Failure kinds, most frequent first, with their share of the failures. */
export function breakdown(byKind: Readonly<Record<string, number>>): KindShare[] {
  const entries = Object.entries(byKind).filter(([, n]) => n > 0);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return entries
    .map(([kind, count]) => ({kind, count, share: total > 0 ? count / total : 0}))
    .sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : 1));
}

export interface FirstFailure {
  readonly endpoint: string;
  readonly kind: string;
  readonly atMs: number;
  readonly users: number;
}

/** The earliest failure of the run, over all endpoints and kinds. */
export function firstFailure(endpoints: ReadonlyArray<EndpointState>): FirstFailure | undefined {
  let first: FirstFailure | undefined;
  for (const e of endpoints) {
    for (const [kind, at] of Object.entries(e.firstFailures)) {
      if (!first || at.atMs < first.atMs) first = {endpoint: endpointLabel(e), kind, atMs: at.atMs, users: at.users};
    }
  }
  return first;
}

/** Latency points over time for all traffic (the run series) or one endpoint (its history). */
export interface LatencyPoint {
  readonly t: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/**
 * An interval without requests has no latency: it repeats the last known figures (the next known
 * ones at the very start) instead of dropping the lines to zero.
 */
function fillGaps(points: LatencyPoint[], empty: readonly boolean[]): LatencyPoint[] {
  const firstKnown = points.find((_, i) => !empty[i]);
  if (!firstKnown) return points;
  let last = firstKnown;
  return points.map((p, i) => {
    if (!empty[i]) return (last = p);
    return {t: p.t, p50: last.p50, p95: last.p95, p99: last.p99};
  });
}

export function latencyPoints(run: RunState, endpoint: EndpointState | undefined): LatencyPoint[] {
  const series = run.series;
  if (!endpoint) {
    return fillGaps(
      series.map(({t, p50, p95, p99}) => ({t, p50, p95, p99})),
      series.map((p) => p.requests === 0),
    );
  }
  // History is the endpoint's last intervals, aligned with the end of the run series.
  const h = endpoint.history;
  const offset = series.length - h.length;
  return fillGaps(
    h.map(({p50, p95, p99}, i) => ({t: series[offset + i]?.t ?? NaN, p50, p95, p99})),
    h.map((f) => f.rps === 0),
  );
}

/** What the endpoint view shows about one endpoint, or about all traffic. */
export interface DetailData {
  readonly label: string;
  readonly now: IntervalFigures;
  readonly latencyMs: LatencyMs;
  readonly requests: number;
  readonly failures: number;
  /** Average req/s over the run. */
  readonly runRps: number;
  readonly statusCodes: Readonly<Record<string, number>>;
  readonly kinds: readonly KindShare[];
  readonly firstFailures: Readonly<Record<string, {readonly atMs: number; readonly users: number}>>;
  readonly errors: readonly ErrorSample[];
}

export function detailData(run: RunState, e: EndpointState | undefined): DetailData {
  if (e) {
    const seconds = run.elapsedMs / 1000;
    return {
      label: endpointLabel(e),
      now: e.now,
      latencyMs: e.latencyMs,
      requests: e.requests,
      failures: e.failures,
      runRps: seconds > 0 ? e.requests / seconds : 0,
      statusCodes: e.statusCodes,
      kinds: breakdown(e.failuresByKind),
      firstFailures: e.firstFailures,
      errors: e.errors,
    };
  }
  const statusCodes: Record<string, number> = {};
  const firstFailures: Record<string, {atMs: number; users: number}> = {};
  const errors = new Map<string, ErrorSample>();
  for (const ep of run.endpoints) {
    for (const [code, n] of Object.entries(ep.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
    for (const [kind, at] of Object.entries(ep.firstFailures)) {
      const seen = firstFailures[kind];
      if (!seen || at.atMs < seen.atMs) firstFailures[kind] = at;
    }
    for (const err of ep.errors) {
      const id = `${err.kind}\u0000${err.message}`;
      const seen = errors.get(id);
      errors.set(id, seen ? {...seen, count: seen.count + err.count} : err);
    }
  }
  return {
    label: 'all traffic',
    now: run.now,
    latencyMs: run.totals.latencyMs,
    requests: run.totals.requests,
    failures: run.totals.failures,
    runRps: run.totals.rps,
    statusCodes,
    kinds: breakdown(run.totals.failuresByKind),
    firstFailures,
    errors: [...errors.values()],
  };
}

/** The outage going on now, if any, as the header shows it: since when, and what the target answers. */
export function ongoingOutage(outages: ReadonlyArray<Outage>): {fromMs: number; what: string} | undefined {
  const last = outages.at(-1);
  if (!last || last.toMs !== undefined) return undefined;
  const kind = dominantKind(last.failuresByKind);
  return {fromMs: last.fromMs, what: last.stalled && !kind ? 'no response' : kind ? describeKind(kind) : 'failing'};
}
