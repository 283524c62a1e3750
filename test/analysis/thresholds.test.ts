import {describe, expect, it} from 'vitest';
import {evaluate, holds, parseThreshold, ThresholdError} from '../../source/analysis/thresholds.js';
import type {RunState} from '../../source/engine/run-state.js';

describe('parsing thresholds', () => {
  it.each([
    ['p95<800ms', {scope: 'all', metric: 'p95', op: '<', limit: 800}],
    ['p99 <= 1.5s', {scope: 'all', metric: 'p99', op: '<=', limit: 1500}],
    ['mean<200', {metric: 'mean', limit: 200}],
    ['errors<1%', {metric: 'errors', op: '<', limit: 0.01}],
    ['error_rate<0.05', {metric: 'errors', limit: 0.05}],
    ['rps>100', {metric: 'rps', op: '>', limit: 100}],
    ['http_5xx<10', {metric: 'count', kind: 'http_5xx', limit: 10}],
    ['timeout<=0', {metric: 'count', kind: 'timeout', op: '<=', limit: 0}],
    ['h2_stream_reset<5', {metric: 'count', kind: 'h2_stream_reset', limit: 5}],
    ['h2_goaway<1', {metric: 'count', kind: 'h2_goaway', limit: 1}],
    ['POST /api/orders: errors<1%', {scope: 'POST /api/orders', metric: 'errors', limit: 0.01}],
    ['get /products/:id: p95<300ms', {scope: 'GET /products/:id', metric: 'p95', limit: 300}],
    // k6's spellings: numbers in ms, as k6 reads them.
    ['p(95)<500', {scope: 'all', metric: 'p95', limit: 500}],
    ['p(99.9) < 2s', {metric: 'p999', limit: 2000}],
    ['avg<200', {metric: 'mean', limit: 200}],
    ['med<100', {metric: 'p50', limit: 100}],
    ['max<3000', {metric: 'max', limit: 3000}],
    ['http_req_duration: p(95)<500', {scope: 'all', metric: 'p95', limit: 500}],
    ['http_req_duration{name:GET /products/:id}: p(95)<300', {scope: 'GET /products/:id', metric: 'p95', limit: 300}],
    ['http_req_failed: rate<0.01', {scope: 'all', metric: 'errors', limit: 0.01}],
    ['http_reqs: count>1000', {metric: 'requests', op: '>', limit: 1000}],
    ['http_reqs: rate>100', {metric: 'rps', limit: 100}],
  ])('%s', (text, expected) => {
    expect(parseThreshold(text)).toMatchObject(expected);
  });

  it.each([
    ['p95', /expected e.g. p95<800ms/],
    ['p95<fast', /expected e.g./],
    ['p95<10%', /latency takes ms or s/],
    ['errors<5ms', /errors take a %/],
    ['rps>10ms', /rps takes a plain number/],
    ['latency<10ms', /unknown metric 'latency'/],
    ['p(97)<10', /brink keeps p50 p66 .* not p97/],
    ['http_req_failed: p(95)<1', /http_req_failed takes rate/],
    ['http_req_duration: rate<1', /http_req_duration takes a latency/],
  ])('rejects %s with a message that says what to write', (text, message) => {
    expect(() => parseThreshold(text)).toThrow(ThresholdError);
    expect(() => parseThreshold(text)).toThrow(message);
  });
});

describe('judging thresholds', () => {
  const state = {
    elapsedMs: 10_000,
    totals: {
      requests: 1000,
      failures: 30,
      rps: 100,
      latencyMs: {mean: 50, p50: 40, p90: 90, p95: 120, p99: 300, max: 900},
      failuresByKind: {http_503: 20, http_500: 5, timeout: 5},
      dropped: 0,
    },
    endpoints: [
      {
        key: 'POST /api/orders',
        requests: 100,
        failures: 25,
        latencyMs: {mean: 300, p50: 250, p90: 700, p95: 900, p99: 1200, max: 2000},
        failuresByKind: {http_503: 20, http_500: 5},
      },
    ],
  } as unknown as RunState;

  it('on the whole run and per endpoint, with kind classes', () => {
    const results = evaluate(
      [
        'p95<200ms',
        'errors<1%',
        'rps>=100',
        'http_5xx<25',
        'http_503<=20',
        'POST /api/orders: p95<800ms',
        'POST /api/orders: errors<30%',
        'GET /nope: p95<1ms',
      ].map(parseThreshold),
      state,
    );
    expect(results.map((r) => [r.expression, r.value, r.pass])).toEqual([
      ['p95<200ms', 120, true],
      ['errors<1%', 0.03, false],
      ['rps>=100', 100, true],
      ['http_5xx<25', 25, false],
      ['http_503<=20', 20, true],
      ['POST /api/orders: p95<800ms', 900, false],
      ['POST /api/orders: errors<30%', 0.25, true],
      // No request ever reached it: a typo in a gate fails it, with a line saying so.
      ['GET /nope: p95<1ms', undefined, false],
    ]);
    expect(results.at(-1)?.missing).toBe('no request reached GET /nope (a typo?)');
    expect(evaluate([parseThreshold('post /api/orders/: p95<1s')], state)[0].missing).toBe(
      'no request reached POST /api/orders/ (did you mean POST /api/orders?)',
    );
  });

  it("k6's spellings are judged as brink's", () => {
    const results = evaluate(
      [
        'p(95)<200',
        'avg<100',
        'med<50',
        'http_req_failed: rate<0.01',
        'http_reqs: count>999',
        'http_req_duration{name:POST /api/orders}: p(99)<1000',
      ].map(parseThreshold),
      state,
    );
    expect(results.map((r) => [r.metric, r.scope, r.value, r.pass])).toEqual([
      ['p95', 'all', 120, true],
      ['mean', 'all', 50, true],
      ['p50', 'all', 40, true],
      ['errors', 'all', 0.03, false],
      ['requests', 'all', 1000, true],
      ['p99', 'POST /api/orders', 1200, false],
    ]);
  });

  it('an rps minimum with no traffic fails; a latency limit with no traffic has nothing to break', () => {
    expect(holds(parseThreshold('rps>1'), undefined)).toBe(false);
    expect(holds(parseThreshold('p95<1ms'), undefined)).toBe(true);
  });
});
