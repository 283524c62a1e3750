// Made-up summaries for the report functions' unit tests: the shape `--json` writes, with figures chosen per test.
import type {LatencyMs} from '../../source/kernel/histogram.js';
import type {EndpointSummary, StepSummary, Summary} from '../../source/report/summary.js';

export function latency(p50: number, p95 = p50 * 2, p99 = p50 * 3): LatencyMs {
  return {mean: p50 * 1.2, p50, p90: (p50 + p95) / 2, p95, p99, max: p99 * 1.5};
}

export function endpoint(
  method: string,
  name: string,
  o: {
    requests?: number;
    failures?: number;
    rps?: number;
    p50?: number;
    p95?: number;
    p99?: number;
    kinds?: Record<string, number>;
    errors?: EndpointSummary['errors'];
  } = {},
): EndpointSummary {
  const requests = o.requests ?? 1000;
  const failures = o.failures ?? 0;
  return {
    name,
    method,
    requests,
    failures,
    rps: o.rps ?? requests / 60,
    latencyMs: latency(o.p50 ?? 20, o.p95, o.p99),
    failuresByKind: o.kinds ?? (failures ? {http_503: failures} : {}),
    statusCodes: {200: requests - failures, ...(failures ? {503: failures} : {})},
    firstFailures: failures ? {http_503: {atMs: 12_000, users: 40}} : {},
    errors: o.errors ?? (failures ? [{kind: 'http_503', message: 'HTTP 503', count: failures}] : []),
  };
}

export function summary(endpoints: EndpointSummary[], extra: Partial<Summary> = {}): Summary {
  const requests = endpoints.reduce((n, e) => n + e.requests, 0);
  const failures = endpoints.reduce((n, e) => n + e.failures, 0);
  const kinds: Record<string, number> = {};
  for (const e of endpoints) for (const [k, n] of Object.entries(e.failuresByKind)) kinds[k] = (kinds[k] ?? 0) + n;
  const series = Array.from({length: 60}, (_, i) => ({
    t: i + 1,
    users: 10 + Math.floor(i / 10) * 10,
    targetUsers: 10 + Math.floor(i / 10) * 10,
    rps: requests / 60,
    requests: Math.round(requests / 60),
    failures: Math.round(failures / 60),
    failRate: requests ? failures / requests : 0,
    p50: 20,
    p95: 40,
    p99: 60,
    failuresByKind: {},
    dropped: 0,
  }));
  return {
    brink: '0.0.0-test',
    target: 'http://127.0.0.1:8000',
    scenario: 'made-up',
    startedAt: '2026-01-02T03:04:05.000Z',
    durationMs: 60_000,
    peakUsers: 60,
    totals: {requests, failures, rps: requests / 60, latencyMs: latency(20), failuresByKind: kinds, dropped: 0},
    endpoints,
    series,
    events: [],
    warnings: [],
    generator: {workers: 2, maxEventLoopUtilisation: 0.2, saturatedIntervals: 0, startFailures: 0},
    interrupted: false,
    plan: 'step ramp 10 → 60 users, +10 every 10 s',
    manualChanges: [],
    steps: [],
    breakingPoint: {rules: 'rules', notReached: true},
    recovery: {state: 'idle'},
    thresholds: [],
    ...extra,
  } as Summary;
}

/** A step of 600 requests (10 s at `rps`, give or take), with `failures` of them http_503. */
export function step(index: number, users: number, rps: number, failures = index === 5 ? 30 : 0): StepSummary {
  return {
    step: index,
    label: `${index}/5 ${users} users`,
    kind: 'step',
    fromMs: (index - 1) * 10_000,
    toMs: index * 10_000,
    settledFromMs: (index - 1) * 10_000 + 1000,
    users,
    requests: 600,
    failures,
    dropped: 0,
    scriptErrors: 0,
    rps,
    failRate: failures / 600,
    latencyMs: latency(20),
    failuresByKind: failures ? {http_503: failures} : {},
  };
}
