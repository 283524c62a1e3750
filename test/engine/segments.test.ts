// Every interval lands in exactly one segment: the step table adds up to the run, whatever the cuts.
import {describe, expect, it} from 'vitest';
import {createHistogram, recordUs} from '../../source/kernel/histogram.js';
import {Segments, type IntervalInput} from '../../source/engine/segments.js';
import {checkStepsAddUp, SummaryCheckError} from '../helpers/summary-check.js';
import {step, summary, endpoint} from '../report/summaries.js';

/** One interval: `requests` at `ms` each, `failures` of them http_503, on endpoint `GET /x`. */
function interval(atMs: number, requests: number, failures = 0, ms = 10, users = 5): IntervalInput {
  const h = createHistogram();
  for (let i = 0; i < requests; i++) recordUs(h, ms * 1000);
  const kinds: Record<string, number> = failures ? {http_503: failures} : {};
  return {
    atMs,
    seconds: 1,
    users,
    targetUsers: users,
    histogram: h,
    requests,
    failures,
    failuresByKind: kinds,
    dropped: 0,
    scriptErrors: 0,
    endpoints: [{key: 'GET /x', histogram: h, requests, failures, failuresByKind: kinds}],
  };
}

describe('Segments', () => {
  it('counts every interval, the transition too, while latency and req/s come from the settled ones', () => {
    const s = new Segments();
    s.cut('1/2 5 users');
    s.add(interval(1000, 50, 5, 100)); // the transition: slow and failing, left over from before
    s.add(interval(2000, 100, 0, 10));
    s.add(interval(3000, 100, 0, 10));
    s.cut('2/2 10 users');
    s.add(interval(4000, 80, 8, 50, 10));
    s.add(interval(5000, 200, 2, 20, 10));
    s.finish();
    const [a, b] = s.closed;
    expect(a.requests).toBe(250);
    expect(a.failures).toBe(5);
    expect(a.failRate).toBeCloseTo(5 / 250);
    expect(a.rps).toBe(100); // settled intervals only
    expect(a.latencyMs.p95).toBeLessThan(11); // the slow transition is left out of latency
    expect(a.settledFromMs).toBe(1000);
    expect(a.fromMs).toBe(0);
    expect(a.toMs).toBe(3000);
    expect(b.fromMs).toBe(3000);
    expect(b.requests).toBe(280);
    expect(b.failures).toBe(10);
    expect(b.endpoints['GET /x']).toMatchObject({requests: 280, failures: 10, rps: 200});
    expect(a.requests + b.requests).toBe(530);
  });

  it('intervals before the first cut are a start segment, not lost', () => {
    const s = new Segments();
    s.add(interval(1000, 30, 1));
    s.cut('1/1 5 users');
    s.add(interval(2000, 40));
    s.finish();
    expect(s.closed.map((x) => [x.label, x.kind, x.requests])).toEqual([
      ['start', 'start', 30],
      ['1/1 5 users', 'step', 40],
    ]);
  });

  it('a recovery window is its own kind', () => {
    const s = new Segments();
    s.cut('1/1 5 users');
    s.add(interval(1000, 40));
    s.cut('recovery at 1 users', 'recovery');
    s.add(interval(2000, 10, 0, 10, 1));
    s.finish();
    expect(s.closed.map((x) => x.kind)).toEqual(['step', 'recovery']);
  });
});

describe('the shared check of written summaries', () => {
  const steps = [step(1, 10, 30), step(2, 20, 60, 0), step(3, 30, 90, 12)];
  const total = (failures: number) => summary([endpoint('GET', '/x', {requests: 1800, failures})], {steps});

  it('passes a summary whose steps add up', () => {
    expect(() => checkStepsAddUp(total(12))).not.toThrow();
  });

  it('fails one whose steps leave failures out, naming what is off', () => {
    expect(() => checkStepsAddUp(total(13))).toThrow(SummaryCheckError);
    expect(() => checkStepsAddUp(total(13))).toThrow('failures 12 in 3 steps vs 13 in totals');
  });
});
