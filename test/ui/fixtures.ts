// Hand-built live states: five endpoints with known figures, a 190 s step ramp, and 75 failures of
// three kinds (58 http_503, 11 timeout, 6 conn_reset → 77 %, 15 %, 8 %).
import type {LiveState} from '../../source/control/types.js';
import type {EndpointState, IntervalFigures, RunState, SeriesPoint} from '../../source/engine/run-state.js';

interface EndpointSpec {
  method: string;
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  failuresByKind: Record<string, number>;
  firstFailures?: Record<string, {atMs: number; users: number}>;
  statusCodes: Record<string, number>;
}

const SPECS: EndpointSpec[] = [
  {
    method: 'POST',
    name: '/api/orders',
    requests: 1204,
    rps: 18.2,
    p50: 410,
    p95: 1900,
    p99: 3200,
    max: 5000,
    failuresByKind: {http_503: 52, timeout: 9},
    firstFailures: {http_503: {atMs: 164_000, users: 60}, timeout: {atMs: 171_000, users: 60}},
    statusCodes: {'201': 1143, '503': 52, '0': 9},
  },
  {
    method: 'GET',
    name: '/api/reports/orders',
    requests: 802,
    rps: 12.1,
    p50: 150,
    p95: 620,
    p99: 1100,
    max: 2300,
    failuresByKind: {http_503: 2, timeout: 2},
    firstFailures: {http_503: {atMs: 178_000, users: 60}, timeout: {atMs: 180_000, users: 60}},
    statusCodes: {'200': 798, '503': 2, '0': 2},
  },
  {
    method: 'POST',
    name: '/login',
    requests: 311,
    rps: 4.9,
    p50: 38,
    p95: 210,
    p99: 390,
    max: 610,
    failuresByKind: {conn_reset: 1},
    firstFailures: {conn_reset: {atMs: 185_000, users: 60}},
    statusCodes: {'200': 310, '0': 1},
  },
  {
    method: 'GET',
    name: '/products/:id',
    requests: 6880,
    rps: 104,
    p50: 9,
    p95: 88,
    p99: 240,
    max: 700,
    failuresByKind: {http_503: 4, conn_reset: 5},
    firstFailures: {conn_reset: {atMs: 175_000, users: 60}, http_503: {atMs: 176_000, users: 60}},
    statusCodes: {'200': 6871, '503': 4, '0': 5},
  },
  {
    method: 'GET',
    name: '/',
    requests: 9120,
    rps: 140.2,
    p50: 4,
    p95: 40,
    p99: 120,
    max: 380,
    failuresByKind: {},
    statusCodes: {'200': 9120},
  },
];

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

/** 60 intervals climbing to the endpoint's figures (the slower endpoints climb later and harder). */
function history(spec: EndpointSpec): IntervalFigures[] {
  const k = 1 + spec.p95 / 400;
  return Array.from({length: 60}, (_, i) => {
    const f = 0.1 + 0.9 * ((i + 1) / 60) ** k;
    return {rps: spec.rps * f, failRate: 0, p50: spec.p50 * f, p95: spec.p95 * f, p99: spec.p99 * f};
  });
}

function endpoint(spec: EndpointSpec): EndpointState {
  const failures = sum(spec.failuresByKind);
  const errors = Object.entries(spec.failuresByKind).map(([kind, count]) => ({
    kind,
    count,
    message: kind === 'http_503' ? '503 Service Unavailable' : kind === 'timeout' ? 'no response within 10 s' : 'socket hang up',
  }));
  return {
    key: `${spec.method} ${spec.name}`,
    method: spec.method,
    name: spec.name,
    requests: spec.requests,
    failures,
    latencyMs: {mean: spec.p50 * 1.3, p50: spec.p50, p90: spec.p95 * 0.8, p95: spec.p95, p99: spec.p99, max: spec.max},
    statusCodes: spec.statusCodes,
    failuresByKind: spec.failuresByKind,
    firstFailures: spec.firstFailures ?? {},
    errors,
    now: {rps: spec.rps, failRate: spec.requests > 0 ? failures / spec.requests : 0, p50: spec.p50, p95: spec.p95, p99: spec.p99},
    history: history(spec),
  };
}

/** A step ramp of +10 users every 32 s; throughput levels off as users climb. */
export function makeSeries(points = 190): SeriesPoint[] {
  return Array.from({length: points}, (_, i) => {
    const t = i + 1;
    const users = 10 * (1 + Math.floor(i / 32));
    const rps = 480 * (1 - Math.exp(-users / 20));
    const p95 = 40 + Math.max(0, users - 30) * 25;
    return {
      t,
      users,
      targetUsers: users,
      rps,
      failRate: users >= 60 ? 0.024 : 0,
      p50: p95 / 4,
      p95,
      p99: p95 * 1.8,
      requests: Math.round(rps),
      failures: users >= 60 ? Math.round(rps * 0.024) : 0,
      failuresByKind: {},
      dropped: 0,
    };
  });
}

export function makeRun(overrides: Partial<RunState> = {}): RunState {
  const endpoints = SPECS.map(endpoint);
  return {
    startedAt: 0,
    elapsedMs: 192_000,
    users: {active: 60, target: 60, stopping: 0},
    totals: {
      requests: endpoints.reduce((s, e) => s + e.requests, 0),
      failures: 75,
      rps: 95.4,
      latencyMs: {mean: 60, p50: 12, p90: 300, p95: 640, p99: 1900, max: 5000},
      failuresByKind: {http_503: 58, timeout: 11, conn_reset: 6},
      dropped: 0,
      scriptErrors: 0,
    },
    scriptErrors: [],
    rate: undefined,
    now: {rps: 412, failRate: 0.024, p50: 90, p95: 840, p99: 2100},
    endpoints,
    series: makeSeries(),
    health: {
      workers: [
        {
          workerId: 0,
          elu: 0.31,
          users: 30,
          stoppingUsers: 0,
          busyUsers: 30,
          dropped: 0,
          inFlight: 12,
          startFailures: 0,
          endpointOverflow: false,
        },
        {
          workerId: 1,
          elu: 0.28,
          users: 30,
          stoppingUsers: 0,
          busyUsers: 30,
          dropped: 0,
          inFlight: 10,
          startFailures: 0,
          endpointOverflow: false,
        },
      ],
      maxElu: 0.31,
      cpuCores: 0.6,
      cores: 2,
      saturated: false,
    },
    connections: {opened: 64, perSecond: 0, connectMs: {mean: 0.3, p50: 0.2, p90: 0.5, p95: 0.7, p99: 1.4, max: 3.1}},
    events: [
      {atMs: 161_000, kind: 'users', text: 'step 6: 60 users'},
      {atMs: 164_000, kind: 'failure', text: 'POST /api/orders first http_503 at 60 users'},
      {atMs: 178_000, kind: 'info', text: 'knee? req/s +3 % for +10 users'},
      {atMs: 185_000, kind: 'warning', text: 'threshold p95<800ms broken (840 ms)'},
    ],
    segments: [],
    openSegment: undefined,
    warnings: [],
    startFailures: 0,
    ...overrides,
  };
}

export function makeLive(overrides: Partial<LiveState> = {}, run: Partial<RunState> = {}): LiveState {
  return {
    run: makeRun(run),
    target: 'http://127.0.0.1:41873',
    scenario: 'scenarios/shop.ts',
    plan: {label: 'step 6 of 10 · next +10 in 12 s', held: false, manual: false},
    step: 10,
    thresholds: [],
    recovery: {state: 'idle'},
    outages: [],
    running: true,
    ...overrides,
  };
}

/** The saturated variant: brink's own event loop is the bottleneck. */
export function saturatedHealth(): RunState['health'] {
  return {...makeRun().health, maxElu: 0.97, cpuCores: 1.9, saturated: true};
}
