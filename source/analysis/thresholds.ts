// Pass/fail thresholds, k6-style: `p95<800ms`, `errors<1%`, `rps>100`, `http_5xx<10`, `script_errors<1`, each
// over the whole run or one endpoint (`POST /api/orders: errors<1%`). Parsing is strict and every mistake
// names the expression, so a release gate never silently checks nothing.
import type {LatencyMs} from '../kernel/histogram.js';
import {attemptFailRate, type RunState} from '../engine/run-state.js';
import {BrinkError} from '../kernel/errors.js';
import {redact} from '../kernel/redact.js';

export type Metric =
  | 'p50'
  | 'p66'
  | 'p75'
  | 'p80'
  | 'p90'
  | 'p95'
  | 'p98'
  | 'p99'
  | 'p999'
  | 'p9999'
  | 'min'
  | 'max'
  | 'mean'
  | 'errors'
  | 'rps'
  | 'requests'
  | 'count'
  | 'script_errors';
export type Op = '<' | '<=' | '>' | '>=';

export interface Threshold {
  readonly expression: string;
  /** `all`, or an endpoint as `METHOD name`. */
  readonly scope: string;
  readonly metric: Metric;
  /** For `count`: the failure kind (`http_503`, `timeout`) or class (`http_5xx`, `http_4xx`). */
  readonly kind?: string;
  readonly op: Op;
  /** ms for latency, a rate 0..1 for errors, req/s for rps, a count for kinds. */
  readonly limit: number;
}

export interface ThresholdResult extends Threshold {
  /** The measured value, in the limit's unit; undefined when the scope saw no traffic. */
  readonly value: number | undefined;
  readonly pass: boolean;
  /** Why a threshold on an endpoint failed without a value: no request ever reached that endpoint. */
  readonly missing?: string;
}

export class ThresholdError extends BrinkError {
  override name = 'ThresholdError';

  constructor(message: string) {
    super('BRINK_E_THRESHOLD', message);
  }
}

const LATENCY = new Set(['p50', 'p66', 'p75', 'p80', 'p90', 'p95', 'p98', 'p99', 'p999', 'p9999', 'min', 'max', 'mean']);

/** k6's percentile spelling: p(95) → p95, p(99.9) → p999. */
const K6_PERCENTILE = /^p\((\d+(?:\.\d+)?)\)/i;
/** k6's names for the figures it keeps: avg, med. */
const K6_NAMES: Readonly<Record<string, string>> = {avg: 'mean', med: 'p50', median: 'p50', average: 'mean'};
/** k6's metrics, as a threshold's scope: `http_req_duration: p(95)<500`, `http_req_duration{name:GET /x}: …`. */
const K6_METRIC = /^(http_req_duration|http_req_failed|http_reqs)(?:\{([^}]*)\})?$/;

/**
 * A threshold as brink writes it (`p95<800ms`, `errors<1%`, `GET /x: p99<2s`) or as k6 does (`p(95)<500`,
 * `avg<200`, `http_req_duration: p(95)<500`, `http_req_failed: rate<0.01`, `http_reqs: count>1000`,
 * `http_req_duration{name:GET /x}: med<100`); latencies without a unit are ms, as k6 reads them.
 */
export function parseThreshold(expression: string): Threshold {
  const text = expression.trim();
  // The scope ends at the last ': ' (endpoint names contain ':' in `/items/:id`, never ': ').
  const colon = text.lastIndexOf(': ');
  // An endpoint's name is redacted as it enters RunState (a token in its query, a JWT in its path): the scope is too, so it
  // still finds its endpoint, and the expression shows no secret in a report.
  let scope = colon >= 0 ? redact(normaliseScope(text.slice(0, colon))) : 'all';
  // A k6 metric as the scope says what the rule measures (and, with a name tag, which endpoint).
  const k6 = K6_METRIC.exec(colon >= 0 ? text.slice(0, colon).trim() : '');
  if (k6) scope = k6[2] ? redact(normaliseScope(k6[2].replace(/^\s*name\s*:\s*/, '').replace(/^["']|["']$/g, ''))) : 'all';
  let rule = (colon >= 0 ? text.slice(colon + 2) : text).replace(/\s+/g, '');
  const pct = K6_PERCENTILE.exec(rule);
  if (pct) rule = `p${pct[1].replace('.', '')}${rule.slice(pct[0].length)}`;
  const m = /^([a-z0-9_]+)(<=|>=|<|>)([0-9.]+)(ms|s|%)?$/i.exec(rule);
  if (!m)
    throw new ThresholdError(
      `threshold '${expression}': expected e.g. p95<800ms, errors<1%, rps>100, http_5xx<10 (optionally 'GET /path: ' first), or k6's p(95)<500`,
    );
  const [, rawName, op, rawNumber, unit] = m;
  let name = rawName.toLowerCase();
  name = K6_NAMES[name] ?? name;
  if (k6?.[1] === 'http_req_failed') {
    if (name !== 'rate') throw new ThresholdError(`threshold '${expression}': http_req_failed takes rate (http_req_failed: rate<0.01)`);
    name = 'errors';
  } else if (k6?.[1] === 'http_reqs') {
    if (name !== 'count' && name !== 'rate')
      throw new ThresholdError(`threshold '${expression}': http_reqs takes count or rate (http_reqs: count>1000)`);
    name = name === 'count' ? 'requests' : 'rps';
  } else if (k6?.[1] === 'http_req_duration' && !LATENCY.has(name)) {
    throw new ThresholdError(`threshold '${expression}': http_req_duration takes a latency (p(95), avg, med, min, max)`);
  }
  const n = Number(rawNumber);
  if (!Number.isFinite(n)) throw new ThresholdError(`threshold '${expression}': '${rawNumber}' is not a number`);
  const base = {expression: colon >= 0 ? `${redact(text.slice(0, colon))}${text.slice(colon)}` : text, scope, op: op as Op};
  if (/^p\d+$/.test(name) && !LATENCY.has(name)) {
    throw new ThresholdError(`threshold '${expression}': brink keeps p50 p66 p75 p80 p90 p95 p98 p99 p99.9 p99.99, not ${rawName}`);
  }
  if (LATENCY.has(name)) {
    if (unit === '%') throw new ThresholdError(`threshold '${expression}': latency takes ms or s, not %`);
    return {...base, metric: name as Metric, limit: unit === 's' ? n * 1000 : n};
  }
  if (name === 'errors' || name === 'failures' || name === 'error_rate' || name === 'fail') {
    if (unit === 'ms' || unit === 's')
      throw new ThresholdError(`threshold '${expression}': errors take a % (errors<1%) or a rate (errors<0.01)`);
    return {...base, metric: 'errors', limit: unit === '%' ? n / 100 : n};
  }
  if (name === 'rps' || name === 'reqs_per_s') {
    if (unit) throw new ThresholdError(`threshold '${expression}': rps takes a plain number (rps>100)`);
    return {...base, metric: 'rps', limit: n};
  }
  if (name === 'requests') {
    if (unit) throw new ThresholdError(`threshold '${expression}': a request count takes a plain number (http_reqs: count>1000)`);
    return {...base, metric: 'requests', limit: n};
  }
  if (name === 'script_errors' || name === 'script_error') {
    if (unit) throw new ThresholdError(`threshold '${expression}': script_errors takes a plain count (script_errors<1)`);
    if (scope !== 'all')
      throw new ThresholdError(`threshold '${expression}': script_errors is counted over the whole run, not per endpoint`);
    return {...base, metric: 'script_errors', limit: n};
  }
  if (
    /^(http_\d{3}|http_[1-5]xx|timeout|conn_refused|conn_reset|socket_closed|dns|tls|protocol|too_many_redirects|h2_stream_reset|h2_protocol|h2_goaway|blocked_host|fd_limit|check|dropped|ws_handshake_\d{3}|ws_closed|ws_timeout|sse_closed|sse_timeout|other)$/.test(
      name,
    )
  ) {
    if (unit) throw new ThresholdError(`threshold '${expression}': a failure count takes a plain number (${name}<10)`);
    return {...base, metric: 'count', kind: name, limit: n};
  }
  throw new ThresholdError(
    `threshold '${expression}': unknown metric '${rawName}' (p50 p90 p95 p99 max mean errors rps script_errors, or a failure kind such as http_5xx, timeout, dropped; k6's p(95) avg med http_req_failed http_reqs too)`,
  );
}

function normaliseScope(scope: string): string {
  const s = scope.trim().replace(/\s+/g, ' ');
  const m = /^([A-Za-z]+) (.+)$/.exec(s);
  return m ? `${m[1].toUpperCase()} ${m[2]}` : s;
}

/** Figures a threshold is judged on: a whole run, an endpoint, or one interval. */
export interface Figures {
  readonly requests: number;
  /** failures / requests, 0..1. */
  readonly failRate: number;
  readonly rps: number;
  readonly latencyMs: Partial<LatencyMs>;
  readonly failuresByKind: Readonly<Record<string, number>>;
  /** Script errors (whole run only). */
  readonly scriptErrors?: number;
  /** Requests sent so far (k6's http_reqs count): `requests` above counts dropped iterations too. */
  readonly sent?: number;
}

export function measure(t: Threshold, f: Figures | undefined): number | undefined {
  if (!f) return undefined;
  switch (t.metric) {
    case 'errors':
      return f.requests > 0 ? f.failRate : undefined;
    case 'rps':
      return f.rps;
    case 'count':
      return countKind(f.failuresByKind, t.kind!);
    case 'script_errors':
      return f.scriptErrors ?? 0;
    case 'requests':
      return f.sent ?? f.requests;
    default:
      return f.requests > 0 ? f.latencyMs[t.metric] : undefined;
  }
}

function countKind(kinds: Readonly<Record<string, number>>, kind: string): number {
  const cls = /^http_([1-5])xx$/.exec(kind);
  let n = 0;
  for (const [k, v] of Object.entries(kinds)) {
    if (cls ? new RegExp(`^http_${cls[1]}\\d\\d$`).test(k) : k === kind) n += v;
  }
  return n;
}

export function holds(t: Threshold, value: number | undefined): boolean {
  // No traffic where a threshold looks: a latency or error limit has nothing to break, an rps minimum does.
  if (value === undefined) return t.metric !== 'rps';
  switch (t.op) {
    case '<':
      return value < t.limit;
    case '<=':
      return value <= t.limit;
    case '>':
      return value > t.limit;
    case '>=':
      return value >= t.limit;
  }
}

/** Whole-run figures of a scope: everything, or one endpoint. */
export function runFigures(state: RunState, scope: string): Figures | undefined {
  const seconds = Math.max(0.001, state.elapsedMs / 1000);
  if (scope === 'all') {
    const t = state.totals;
    // Dropped iterations (open model) are failed attempts: the error rate sees them.
    return {
      requests: t.requests + t.dropped,
      failRate: attemptFailRate(t.requests, t.failures, t.dropped),
      rps: t.requests / seconds,
      latencyMs: t.latencyMs,
      failuresByKind: t.failuresByKind,
      scriptErrors: t.scriptErrors,
      sent: t.requests,
    };
  }
  const t = state.endpoints.find((x) => x.key === scope);
  return (
    t && {
      requests: t.requests,
      failRate: attemptFailRate(t.requests, t.failures),
      rps: t.requests / seconds,
      latencyMs: t.latencyMs,
      failuresByKind: t.failuresByKind,
    }
  );
}

/** The last interval's figures of a scope (for live marking and abort-on-fail); script errors so far, a count that only grows. */
export function intervalFigures(state: RunState, scope: string): Figures | undefined {
  const point = state.series.at(-1);
  if (!point) return undefined;
  if (scope === 'all')
    return {
      ...point,
      requests: point.requests + point.dropped,
      latencyMs: {p50: point.p50, p95: point.p95, p99: point.p99},
      scriptErrors: state.totals.scriptErrors,
      sent: state.totals.requests,
    };
  const endpoint = state.endpoints.find((x) => x.key === scope);
  const now = endpoint?.now;
  // Per-endpoint intervals keep rates, not counts: enough for latency, errors and rps; kind counts are not judged live.
  return (
    now && {
      requests: now.rps,
      failRate: now.failRate,
      rps: now.rps,
      latencyMs: {p50: now.p50, p95: now.p95, p99: now.p99},
      failuresByKind: {},
      sent: endpoint.requests,
    }
  );
}

export function evaluate(thresholds: ReadonlyArray<Threshold>, state: RunState): ThresholdResult[] {
  return thresholds.map((t) => {
    // An endpoint that never got a request fails its gate: a typo in its name must not pass in silence.
    if (t.scope !== 'all' && !state.endpoints.some((e) => e.key === t.scope)) {
      const names = state.endpoints.map((e) => e.key);
      const near = names.find((n) => n.toLowerCase() === t.scope.toLowerCase() || n.replace(/\/$/, '') === t.scope.replace(/\/$/, ''));
      return {
        ...t,
        value: undefined,
        pass: false,
        missing: `no request reached ${t.scope}${near ? ` (did you mean ${near}?)` : ' (a typo?)'}`,
      };
    }
    const value = measure(t, runFigures(state, t.scope));
    return {...t, value, pass: holds(t, value)};
  });
}

/** `840 ms`, `2.4 %`, `95.1 req/s`, `12`: a measured value in the threshold's unit. */
export function formatValue(t: Threshold & {readonly missing?: string}, value: number | undefined): string {
  if (t.missing) return t.missing;
  if (value === undefined) return 'no traffic';
  switch (t.metric) {
    case 'errors':
      return `${(value * 100).toFixed(2)} %`;
    case 'rps':
      return `${value.toFixed(1)} req/s`;
    case 'count':
    case 'script_errors':
    case 'requests':
      return String(value);
    default:
      return `${Math.round(value * 10) / 10} ms`;
  }
}
