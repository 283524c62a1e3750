import {describe, expect, it} from 'vitest';
import {Aggregator} from '../../source/engine/aggregator.js';
import {createHistogram, encode, latencyMs, recordUs} from '../../source/kernel/histogram.js';
import type {EndpointInterval, IntervalSnapshot, WorkerHealth} from '../../source/protocol/snapshot.js';

const T0 = 1_700_000_000_000;

interface EndpointSpec {
  key?: string;
  latenciesUs?: number[];
  /** Requests without latency values (they still go into the histogram, at 1 ms). */
  requests?: number;
  failures?: Record<string, number>;
  statusCodes?: Record<string, number>;
  firstFailureAt?: Record<string, number>;
  errors?: {kind: string; message: string; count: number}[];
}

function ep(spec: EndpointSpec): EndpointInterval {
  const key = spec.key ?? 'GET /a';
  const [method, ...name] = key.split(' ');
  const values = spec.latenciesUs ?? new Array(spec.requests ?? 0).fill(1000);
  const h = createHistogram();
  for (const v of values) recordUs(h, v);
  const failuresByKind = spec.failures ?? {};
  return {
    key,
    method,
    name: name.join(' '),
    requests: values.length,
    failures: Object.values(failuresByKind).reduce((a, b) => a + b, 0),
    histogram: encode(h),
    statusCodes: spec.statusCodes ?? {},
    failuresByKind,
    firstFailureAt: spec.firstFailureAt ?? {},
    errors: spec.errors ?? [],
  };
}

function snap(
  workerId: number,
  seq: number,
  from: number,
  at: number,
  endpoints: EndpointInterval[],
  health: Partial<WorkerHealth> = {},
): IntervalSnapshot {
  return {
    seq,
    from: T0 + from,
    at: T0 + at,
    health: {
      workerId,
      elu: 0.2,
      users: 1,
      busyUsers: 1,
      stoppingUsers: 0,
      dropped: 0,
      inFlight: 0,
      startFailures: 0,
      endpointOverflow: false,
      ...health,
    },
    endpoints,
  };
}

const meta = (atMs: number, users = 10) => ({at: T0 + atMs, users, targetUsers: users, cpuCores: 0.1});

describe('Aggregator', () => {
  it("an event stream's gaps are a row of their own, out of the totals; open sockets are summed over workers, with their peak", () => {
    const a = new Aggregator(T0);
    const gaps = {...ep({key: 'SSE /feed (gap)', latenciesUs: [1_000_000, 1_000_000, 1_000_000]}), gaps: true as const};
    a.tick(
      [
        {...snap(0, 1, 0, 1000, [ep({key: 'SSE /feed', latenciesUs: [20_000, 30_000]}), gaps]), sockets: {open: 2, opened: 2}},
        {...snap(1, 1, 0, 1000, [ep({key: 'WS /chat', latenciesUs: [5000]})]), sockets: {open: 3, opened: 4}},
      ],
      meta(1000),
    );
    // Worker 1 is late this tick: its last gauge still counts.
    const s = a.tick([{...snap(0, 2, 1000, 2000, []), sockets: {open: 1, opened: 0}}], meta(2000));
    expect(s.endpoints.find((e) => e.key === 'SSE /feed (gap)')).toMatchObject({requests: 3, gaps: true});
    expect(s.totals.requests).toBe(3);
    expect(s.totals.latencyMs.max).toBeLessThan(31);
    expect(s.series[0].requests).toBe(3);
    expect(s.segments.concat(s.openSegment ?? []).every((g) => !('SSE /feed (gap)' in g.endpoints))).toBe(true);
    expect(s.series.map((p) => p.sockets)).toEqual([5, 4]);
    expect(s.connections.sockets).toEqual({open: 4, peak: 5, opened: 6});
    // Worker 1 dies (or an agent is lost): its last word has no gauge, and the sockets it held are gone with it.
    const after = a.tick([snap(1, -1, 2000, 3000, [])], meta(3000));
    expect(after.connections.sockets).toEqual({open: 1, peak: 5, opened: 6});
  });

  it('has no sockets figures in a run that opened none', () => {
    const a = new Aggregator(T0);
    const s = a.tick([snap(0, 1, 0, 1000, [ep({requests: 3})])], meta(1000));
    expect(s.connections.sockets).toBeUndefined();
    expect(s.series[0]).not.toHaveProperty('sockets');
  });

  it('starts empty', () => {
    const a = new Aggregator(T0);
    expect(a.current.totals.requests).toBe(0);
    expect(a.current.endpoints).toEqual([]);
    expect(a.current.series).toEqual([]);
  });

  it('adds workers and ticks into cumulative per-endpoint and total counts', () => {
    const a = new Aggregator(T0);
    a.tick(
      [
        snap(0, 1, 0, 1000, [
          ep({key: 'GET /a', requests: 30, statusCodes: {200: 30}}),
          ep({key: 'POST /b', requests: 5, statusCodes: {201: 5}}),
        ]),
        snap(1, 1, 0, 1000, [ep({key: 'GET /a', requests: 20, statusCodes: {200: 18, 500: 2}, failures: {http_500: 2}})]),
      ],
      meta(1000),
    );
    const s = a.tick(
      [
        snap(0, 2, 1000, 2000, [ep({key: 'GET /a', requests: 10, statusCodes: {200: 10}})]),
        snap(1, 2, 1000, 2000, [ep({key: 'POST /b', requests: 7, statusCodes: {201: 6, 503: 1}, failures: {http_503: 1}})]),
      ],
      meta(2000),
    );
    const a1 = s.endpoints.find((e) => e.key === 'GET /a')!;
    const b1 = s.endpoints.find((e) => e.key === 'POST /b')!;
    expect(a1).toMatchObject({
      method: 'GET',
      name: '/a',
      requests: 60,
      failures: 2,
      statusCodes: {200: 58, 500: 2},
      failuresByKind: {http_500: 2},
    });
    expect(b1).toMatchObject({
      method: 'POST',
      name: '/b',
      requests: 12,
      failures: 1,
      statusCodes: {201: 11, 503: 1},
      failuresByKind: {http_503: 1},
    });
    expect(s.totals).toMatchObject({requests: 72, failures: 3, failuresByKind: {http_500: 2, http_503: 1}});
    expect(s.totals.rps).toBeCloseTo(72 / 2, 6);
    expect(s.elapsedMs).toBe(2000);
    expect(s.series.map((p) => p.requests)).toEqual([55, 17]);
    expect(s.series.map((p) => p.failures)).toEqual([2, 1]);
    expect(s.series[1].failuresByKind).toEqual({http_503: 1});
    expect(s.series.map((p) => p.t)).toEqual([1, 2]);
  });

  it('rps is over the interval, per endpoint and in total', () => {
    const a = new Aggregator(T0);
    a.tick([snap(0, 1, 0, 1000, [ep({requests: 100})])], meta(1000));
    // A 500 ms interval with 50 + 50 requests: 200 req/s.
    const s = a.tick([snap(0, 2, 1000, 1500, [ep({requests: 50})]), snap(1, 2, 1000, 1500, [ep({requests: 50})])], meta(1500));
    expect(s.now.rps).toBeCloseTo(200, 6);
    expect(s.endpoints[0].now.rps).toBeCloseTo(200, 6);
    expect(s.endpoints[0].history.map((h) => h.rps)).toEqual([100, 200]);
    expect(s.totals.rps).toBeCloseTo(200 / 1.5, 6);
  });

  it('an endpoint with no requests in an interval shows 0 rps, not its old rate', () => {
    const a = new Aggregator(T0);
    a.tick([snap(0, 1, 0, 1000, [ep({key: 'GET /a', requests: 10}), ep({key: 'GET /b', requests: 10})])], meta(1000));
    const s = a.tick([snap(0, 2, 1000, 2000, [ep({key: 'GET /a', requests: 10})])], meta(2000));
    expect(s.endpoints.find((e) => e.key === 'GET /b')!.now.rps).toBe(0);
    expect(s.endpoints.find((e) => e.key === 'GET /b')!.requests).toBe(10);
  });

  it('failRate and interval percentiles come from the interval only', () => {
    const a = new Aggregator(T0);
    a.tick([snap(0, 1, 0, 1000, [ep({latenciesUs: new Array(10).fill(1000)})])], meta(1000));
    const s = a.tick([snap(0, 2, 1000, 2000, [ep({latenciesUs: new Array(10).fill(100_000), failures: {timeout: 5}})])], meta(2000));
    expect(s.now.failRate).toBe(0.5);
    expect(s.now.p50).toBeCloseTo(100, 0);
    expect(s.endpoints[0].now.p50).toBeCloseTo(100, 0);
    // The cumulative figures see both intervals.
    expect(s.endpoints[0].latencyMs.p50).toBe(1);
    expect(s.totals.latencyMs.p99).toBeCloseTo(100, 0);
    expect(s.series[0].failRate).toBe(0);
  });

  it('merges latency histograms exactly', () => {
    const a = new Aggregator(T0);
    const w0 = [1000, 2000, 3000, 4000];
    const w1 = [1500, 2500, 50_000];
    const s = a.tick([snap(0, 1, 0, 1000, [ep({latenciesUs: w0})]), snap(1, 1, 0, 1000, [ep({latenciesUs: w1})])], meta(1000));
    const single = createHistogram();
    for (const v of [...w0, ...w1]) recordUs(single, v);
    const expected = latencyMs(single);
    expect(s.endpoints[0].latencyMs.p50).toBe(expected.p50);
    expect(s.endpoints[0].latencyMs.p99).toBe(expected.p99);
    expect(s.totals.latencyMs.p90).toBe(expected.p90);
  });

  it('records the first failure of each kind with the users running then, once', () => {
    const a = new Aggregator(T0);
    a.tick([snap(0, 1, 0, 1000, [ep({requests: 10})])], meta(1000, 5));
    let s = a.tick(
      [snap(0, 2, 1000, 2000, [ep({requests: 10, failures: {http_500: 3}, firstFailureAt: {http_500: T0 + 1400}})])],
      meta(2000, 20),
    );
    expect(s.endpoints[0].firstFailures).toEqual({http_500: {atMs: 1400, users: 20}});
    const events = () => s.events.filter((e) => e.kind === 'failure');
    expect(events()).toEqual([{atMs: 1400, kind: 'failure', text: 'GET /a first http_500 at 20 users'}]);

    // Later failures of the same kind: no new event, first stays first.
    s = a.tick(
      [snap(0, 3, 2000, 3000, [ep({requests: 10, failures: {http_500: 1}, firstFailureAt: {http_500: T0 + 2500}})])],
      meta(3000, 40),
    );
    expect(s.endpoints[0].firstFailures.http_500).toEqual({atMs: 1400, users: 20});
    expect(events()).toHaveLength(1);

    // A new kind gets its own event.
    s = a.tick(
      [snap(0, 4, 3000, 4000, [ep({requests: 10, failures: {timeout: 1}, firstFailureAt: {timeout: T0 + 3100}})])],
      meta(4000, 50),
    );
    expect(s.endpoints[0].firstFailures.timeout).toEqual({atMs: 3100, users: 50});
    expect(events().map((e) => e.text)).toEqual(['GET /a first http_500 at 20 users', 'GET /a first timeout at 50 users']);
    expect(s.endpoints[0].failuresByKind).toEqual({http_500: 4, timeout: 1});
  });

  it('a late snapshot with an earlier first failure moves the first failure back, without a second event', () => {
    const a = new Aggregator(T0);
    a.tick([snap(0, 1, 0, 1000, [ep({requests: 5, failures: {http_503: 1}, firstFailureAt: {http_503: T0 + 900}})])], meta(1000, 8));
    // Worker 1's answer to tick 1 arrives with tick 2; its first 503 was earlier.
    const s = a.tick(
      [
        snap(1, 1, 0, 1000, [ep({requests: 5, failures: {http_503: 1}, firstFailureAt: {http_503: T0 + 300}})]),
        snap(0, 2, 1000, 2000, [ep({requests: 5})]),
        snap(1, 2, 1000, 2000, [ep({requests: 5})]),
      ],
      meta(2000, 9),
    );
    expect(s.endpoints[0].firstFailures.http_503.atMs).toBe(300);
    expect(s.events.filter((e) => e.kind === 'failure')).toHaveLength(1);
    expect(s.totals.requests).toBe(20);
    expect(s.endpoints[0].failures).toBe(2);
  });

  it('a snapshot covering a longer span is divided by that span', () => {
    const a = new Aggregator(T0);
    a.tick([], meta(1000));
    // The tick is 1 s after the last one, but the worker's snapshot covers 2 s (it missed the last tick).
    const s = a.tick([snap(0, 2, 0, 2000, [ep({requests: 400})])], meta(2000));
    expect(s.now.rps).toBeCloseTo(200, 6);
    expect(s.totals.requests).toBe(400);
  });

  it('merges error samples across workers, most frequent first', () => {
    const a = new Aggregator(T0);
    const s = a.tick(
      [
        snap(0, 1, 0, 1000, [
          ep({
            requests: 4,
            failures: {http_500: 3, timeout: 1},
            errors: [
              {kind: 'http_500', message: 'HTTP 500', count: 3},
              {kind: 'timeout', message: 'Headers Timeout', count: 1},
            ],
          }),
        ]),
        snap(1, 1, 0, 1000, [ep({requests: 3, failures: {timeout: 3}, errors: [{kind: 'timeout', message: 'Headers Timeout', count: 3}]})]),
      ],
      meta(1000),
    );
    expect(s.endpoints[0].errors).toEqual([
      {kind: 'timeout', message: 'Headers Timeout', count: 4},
      {kind: 'http_500', message: 'HTTP 500', count: 3},
    ]);
  });

  it('keeps worker health, sums start failures, flags overflow and saturation', () => {
    const a = new Aggregator(T0);
    a.tick([snap(1, 1, 0, 1000, [], {startFailures: 2, users: 3}), snap(0, 1, 0, 1000, [], {startFailures: 1, users: 4})], meta(1000));
    const s = a.tick([snap(0, 2, 1000, 2000, [], {startFailures: 4, endpointOverflow: true, elu: 0.95, stoppingUsers: 2})], meta(2000));
    expect(s.startFailures).toBe(7);
    expect(s.health.workers.map((w) => w.workerId)).toEqual([0, 1]);
    expect(s.health.maxElu).toBe(0.95);
    expect(s.health.saturated).toBe(true);
    expect(s.users.stopping).toBe(2);
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]).toMatch(/too many distinct endpoint names/);
  });

  it('merges the connections of all workers: counts, connect times, per interval and over the run', () => {
    const connects = (ms: number[]) => {
      const h = createHistogram();
      for (const v of ms) recordUs(h, v * 1000);
      return {opened: ms.length, histogram: encode(h)};
    };
    const a = new Aggregator(T0);
    a.tick(
      [
        {...snap(0, 1, 0, 1000, [ep({requests: 100})]), connects: connects([1, 2, 3])},
        {...snap(1, 1, 0, 1000, [ep({requests: 100})]), connects: connects([4])},
      ],
      meta(1000),
    );
    let s = a.tick([snap(0, 2, 1000, 2000, [ep({requests: 100})])], meta(2000));
    expect(s.connections.opened).toBe(4);
    expect(s.connections.perSecond).toBe(0);
    expect(s.connections.connectMs.max).toBeCloseTo(4, 2);
    expect(s.series.map((p) => p.connects)).toEqual([4, 0]);
    // Kept-alive connections and quick connects: nothing to say of the target.
    expect(s.events.filter((e) => e.kind === 'warning')).toEqual([]);
    // A connection per request, then a connect of 1.2 s: each said once, however long it goes on.
    for (let i = 3; i <= 5; i++)
      s = a.tick(
        [
          {
            ...snap(0, i, (i - 1) * 1000, i * 1000, [ep({requests: 80})]),
            connects: connects([...new Array(79).fill(1), i === 4 ? 1200 : 1]),
          },
        ],
        meta(i * 1000),
      );
    const warnings = s.events.filter((e) => e.kind === 'warning').map((e) => [e.atMs, e.text]);
    expect(warnings).toEqual([
      [
        3000,
        "80 connections opened for 80 requests: connections are not reused (the target closes them after each response, or sooner than the users' think time)",
      ],
      [4000, 'a connection took 1.2 s to open: the target accepts too slowly (a full accept queue drops SYNs)'],
    ]);
    expect(s.connections.perSecond).toBe(80);
  });

  it('users starting, each with a new connection, are not taken for connections not reused', () => {
    const h = createHistogram();
    recordUs(h, 500);
    const a = new Aggregator(T0);
    // 500 users start in one second against a slow target: 500 connections, 100 requests.
    const s = a.tick([{...snap(0, 1, 0, 1000, [ep({requests: 100})]), connects: {opened: 500, histogram: encode(h)}}], meta(1000, 500));
    expect(s.connections.opened).toBe(500);
    expect(s.events.filter((e) => e.kind === 'warning')).toEqual([]);
  });

  it('logs events relative to the start', () => {
    const a = new Aggregator(T0);
    a.event('users', 'users → 50', T0 + 2500);
    a.tick([], meta(3000));
    expect(a.current.events).toEqual([{atMs: 2500, kind: 'users', text: 'users → 50'}]);
  });

  it('redacts every text a worker reports as it enters: names, error messages and bodies, script errors, redirects, events', () => {
    const a = new Aggregator(T0);
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJTM0NSM1QifQ.c2lnbmF0dXJlUzNDUjNU';
    a.event('info', 'metrics at http://bob:S3CR3T@127.0.0.1:9464/metrics', T0 + 900);
    // Two users' tokens in the path are one endpoint once the token is hidden.
    const verify = (token: string) => ({
      ...ep({key: `GET /verify/${token}`, requests: 2, failures: {http_401: 1}, firstFailureAt: {http_401: T0 + 500}}),
      errors: [{kind: 'http_401', message: 'HTTP 401', count: 1, body: "{'detail': 'bad', 'token': 'S3CR3T'}"}],
      redirects: {count: 1, to: {'/login?next=/&session_token=S3CR3T': 1}},
    });
    a.tick(
      [
        {
          ...snap(0, 1, 0, 1000, [verify(jwt), verify(jwt.replace('c2ln', 'ZmFr'))]),
          scriptErrors: [
            {task: 'login', where: 'client-secrets.ts:31', message: 'sent Authorization: Bearer S3CR3T', count: 1, firstAt: T0 + 600},
          ],
        },
      ],
      meta(1000),
    );
    const state = a.current;
    expect(JSON.stringify(state)).not.toContain('S3CR3T');
    expect(JSON.stringify(state)).not.toContain(jwt);
    expect(state.endpoints.map((e) => [e.key, e.name, e.requests, e.failures])).toEqual([['GET /verify/***', '/verify/***', 4, 2]]);
    expect(state.endpoints[0].errors).toEqual([
      {kind: 'http_401', message: 'HTTP 401', count: 2, body: "{'detail': 'bad', 'token': '***'}"},
    ]);
    expect(state.endpoints[0].redirects).toEqual({count: 2, to: {'/login?next=/&session_token=***': 2}});
    // The location of a script error stays readable: the file is named like a secret, its line is not one.
    expect(state.scriptErrors).toEqual([
      {task: 'login', where: 'client-secrets.ts:31', message: 'sent Authorization: ***', count: 1, firstAtMs: 600},
    ]);
    expect(state.events.map((e) => e.text)).toEqual([
      'GET /verify/*** first http_401 at 10 users',
      'script error in login (client-secrets.ts:31): sent Authorization: ***',
      'metrics at http://bob:***@127.0.0.1:9464/metrics',
    ]);
  });
});
