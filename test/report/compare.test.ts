// brink compare's rules: what counts as a regression, what is noise, and what is not judged.
import {describe, expect, it} from 'vitest';
import {compareSummaries, comparisonText, parseTolerance, EXIT_REGRESSION} from '../../source/report/compare.js';
import {UsageError} from '../../source/kernel/errors.js';
import {endpoint, summary} from './summaries.js';

const base = () => [
  endpoint('GET', '/api/products', {p50: 20, p95: 50, p99: 80, rps: 100}),
  endpoint('POST', '/api/orders', {p50: 100, p95: 300, p99: 500, rps: 20, requests: 1000, failures: 10}),
  endpoint('GET', '/health', {p50: 0.4, p95: 0.8, p99: 1.2, rps: 10}),
];

describe('compareSummaries', () => {
  it('finds no regression between a run and itself', () => {
    const c = compareSummaries(summary(base()), summary(base()), 0.1);
    expect(c.regressions).toEqual([]);
    expect(c.endpoints.map((e) => e.endpoint)).toEqual(['GET /api/products', 'POST /api/orders', 'GET /health']);
    expect(comparisonText(c, 'a.json', 'b.json')).toContain('no regression beyond 10 %');
  });

  it('flags latency up, req/s down and failures up beyond the tolerance, per endpoint', () => {
    const after = base();
    after[0] = endpoint('GET', '/api/products', {p50: 21, p95: 80, p99: 85, rps: 70}); // p95 +60 %, req/s −30 %; p50 +5 %, p99 +6 %: within
    after[1] = endpoint('POST', '/api/orders', {p50: 100, p95: 300, p99: 500, rps: 20, requests: 1000, failures: 50}); // 1 % → 5 %
    const c = compareSummaries(summary(base()), summary(after), 0.1);
    const found = c.regressions.map((r) => `${r.endpoint} ${r.delta.metric}`);
    expect(found).toEqual(expect.arrayContaining(['GET /api/products p95', 'GET /api/products rps', 'POST /api/orders failRate']));
    expect(found).not.toContain('GET /api/products p50');
    expect(found).not.toContain('GET /api/products p99');
    const p95 = c.endpoints[0].deltas.find((d) => d.metric === 'p95')!;
    expect(p95).toMatchObject({old: 50, new: 80, regression: true});
    expect(p95.change).toBeCloseTo(0.6, 5);
    const text = comparisonText(c, 'old.json', 'new.json');
    expect(text).toMatch(/GET \/api\/products\s.*80\.0ms \+60% !/);
    expect(text).toContain('GET /api/products: p95 50.0ms → 80.0ms (+60%), req/s 100.0 → 70.0 (−30%)');
    expect(text).toContain('POST /api/orders: fail % 1.0% → 5.0% (+4.0pt)');
  });

  it('a wider tolerance lets the same change pass', () => {
    const after = base();
    after[0] = endpoint('GET', '/api/products', {p50: 20, p95: 70, p99: 80, rps: 100}); // +40 %
    expect(compareSummaries(summary(base()), summary(after), 0.1).regressions).toHaveLength(1);
    expect(compareSummaries(summary(base()), summary(after), 0.5).regressions).toHaveLength(0);
  });

  it('does not call sub-millisecond moves or tiny failure-rate moves regressions', () => {
    const after = base();
    after[2] = endpoint('GET', '/health', {p50: 0.8, p95: 1.5, p99: 2.1, rps: 10}); // +100 %, but under 1 ms
    after[1] = endpoint('POST', '/api/orders', {p50: 100, p95: 300, p99: 500, rps: 20, requests: 10_000, failures: 105}); // 1.0 % → 1.05 %
    const before = base();
    before[1] = endpoint('POST', '/api/orders', {p50: 100, p95: 300, p99: 500, rps: 20, requests: 10_000, failures: 100});
    expect(compareSummaries(summary(before), summary(after), 0.01).regressions).toEqual([]);
  });

  it('marks improvements but does not count them', () => {
    const after = base();
    after[1] = endpoint('POST', '/api/orders', {p50: 50, p95: 150, p99: 250, rps: 30, requests: 1000});
    const c = compareSummaries(summary(base()), summary(after), 0.1);
    expect(c.regressions).toEqual([]);
    expect(c.endpoints[1].deltas.filter((d) => d.improvement).map((d) => d.metric)).toEqual(['p50', 'p95', 'p99', 'rps', 'failRate']);
  });

  it('lists missing and new endpoints, and does not judge thin ones', () => {
    const after = [base()[0], endpoint('GET', '/api/cart'), endpoint('POST', '/api/orders', {requests: 5, p95: 3000})];
    const c = compareSummaries(summary(base()), summary(after), 0.1);
    expect(c.onlyOld).toEqual(['GET /health']);
    expect(c.onlyNew).toEqual(['GET /api/cart']);
    const orders = c.endpoints.find((e) => e.endpoint === 'POST /api/orders')!;
    expect(orders.judged).toBe(false);
    expect(c.regressions.filter((r) => r.endpoint === 'POST /api/orders')).toEqual([]);
    const text = comparisonText(c, 'old.json', 'new.json');
    expect(text).toContain('missing in new.json (only in old.json):\n  - GET /health');
    expect(text).toContain('new in new.json (not in old.json):\n  + GET /api/cart');
    expect(text).toMatch(/POST \/api\/orders \*/);
    expect(text).toContain('not judged, fewer than 20 requests in a run: POST /api/orders');
  });

  it('notes when the runs are not like for like', () => {
    const c = compareSummaries(summary(base()), summary(base(), {plan: 'constant 50 users', interrupted: true}), 0.1);
    expect(c.notes.join('\n')).toMatch(/load plans differ.*constant 50 users/);
    expect(c.notes.join('\n')).toContain('the new run was interrupted');
  });

  it('exits 3 on a regression (documented next to 0, 1 and 2)', () => {
    expect(EXIT_REGRESSION).toBe(3);
  });
});

describe('parseTolerance', () => {
  it('reads percentages', () => {
    expect(parseTolerance('10%')).toBeCloseTo(0.1);
    expect(parseTolerance('15')).toBeCloseTo(0.15);
    expect(parseTolerance('2.5 %')).toBeCloseTo(0.025);
    expect(parseTolerance('0%')).toBe(0);
  });
  it('rejects what is not one', () => {
    for (const bad of ['', 'ten', '-5%', '10ms', '5000%']) expect(() => parseTolerance(bad), bad).toThrow(UsageError);
  });
});
