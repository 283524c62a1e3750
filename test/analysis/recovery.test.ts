import {describe, expect, it} from 'vitest';
import {DEFAULT_RECOVERY, firstMeasured, RecoveryTracker} from '../../source/analysis/recovery.js';
import type {SeriesPoint} from '../../source/engine/run-state.js';

const point = (t: number, p95: number, failRate = 0): SeriesPoint => ({
  t,
  p95,
  p50: p95 / 2,
  p99: p95 * 1.5,
  rps: 100,
  failRate,
  users: 10,
  targetUsers: 10,
  requests: 100,
  failures: Math.round(failRate * 100),
  failuresByKind: {},
  dropped: 0,
});

describe('recovery timing', () => {
  it('dates recovery at the first of three good intervals after the drop', () => {
    const r = new RecoveryTracker();
    for (let t = 1; t <= 5; t++) r.learn(point(t, 40));
    r.start(10_000);
    expect(r.status.state).toBe('recovering');
    expect(r.observe(point(11, 400)).state).toBe('recovering');
    expect(r.observe(point(12, 300)).state).toBe('recovering');
    expect(r.observe(point(13, 200)).state).toBe('recovering');
    r.observe(point(14, 45)); // good from t=13..14
    r.observe(point(15, 41));
    const done = r.observe(point(16, 39));
    expect(done.state).toBe('recovered');
    expect(done.recoveredAfterMs).toBe(3000);
    expect(done.baselineP95).toBe(40);
  });

  it('carries how long lowering the load took, for the verdict to tell apart from the target', () => {
    const r = new RecoveryTracker();
    for (let t = 1; t <= 5; t++) r.learn(point(t, 40));
    r.start(10_000, undefined, 14_400);
    expect(r.status).toMatchObject({state: 'recovering', loweringMs: 14_400});
    for (let t = 11; t <= 25; t++) r.observe(point(t, 400));
    for (let t = 26; t <= 28; t++) r.observe(point(t, 41));
    expect(r.status).toMatchObject({state: 'recovered', recoveredAfterMs: 15_000, loweringMs: 14_400});
  });

  it("counts as normal what the baseline's own intervals reached, when its p95 wanders (a light load's few slow requests)", () => {
    // The gunicorn shop at 5 users: interval p95s of 28–57 ms around a median of 30 (a fast read or a slow order).
    const wandering = [30, 54, 29, 52, 31, 57, 28, 51, 30, 33, 29, 30, 47, 30, 29, 31, 28, 30, 52, 30];
    const r = new RecoveryTracker();
    wandering.forEach((p95, i) => r.learn(point(i + 1, p95)));
    r.start(35_000);
    for (let t = 36; t <= 49; t++) r.observe(point(t, 300));
    // Back at the baseline from t=50 (the interval 49–50): 46, 30, 51 are all what the baseline itself showed.
    r.observe(point(50, 46));
    r.observe(point(51, 30));
    expect(r.observe(point(52, 51))).toMatchObject({state: 'recovered', recoveredAfterMs: 14_000, baselineP95: 30});
    // By the 1.5× band alone, 46 and 51 were past it, and recovery waited 3 s more for three intervals under 45 ms.
    const strict = new RecoveryTracker({...DEFAULT_RECOVERY, spreadPoints: Infinity});
    wandering.forEach((p95, i) => strict.learn(point(i + 1, p95)));
    strict.start(35_000);
    for (const [t, p95] of [
      [50, 46],
      [51, 30],
      [52, 51],
      [53, 36],
      [54, 31],
      [55, 30],
    ])
      strict.observe(point(t, p95));
    expect(strict.status.recoveredAfterMs).toBe(17_000);
  });

  it('is not widened by one outlier of the baseline, nor by a baseline too short to show its spread', () => {
    const spiky = new RecoveryTracker();
    for (let t = 1; t <= 19; t++) spiky.learn(point(t, 40));
    spiky.learn(point(20, 500)); // one GC pause in the baseline
    spiky.start(20_000);
    for (let t = 21; t <= 25; t++) expect(spiky.observe(point(t, 100)).state).toBe('recovering');
    const short = new RecoveryTracker();
    for (const p95 of [40, 90, 40]) short.learn(point(1, p95));
    short.start(0);
    for (let t = 1; t <= 5; t++) expect(short.observe(point(t, 85)).state).toBe('recovering');
  });

  it('a good interval followed by a bad one starts the count again', () => {
    const r = new RecoveryTracker();
    r.learn(point(1, 40));
    r.start(0);
    r.observe(point(1, 41));
    r.observe(point(2, 500));
    r.observe(point(3, 41));
    r.observe(point(4, 41));
    expect(r.observe(point(5, 41)).recoveredAfterMs).toBe(2000);
  });

  it('failures above the baseline keep it recovering; gives up after the timeout', () => {
    const r = new RecoveryTracker({...DEFAULT_RECOVERY, p95Factor: 1.2, slackMs: 5, failRateSlack: 0.001, streak: 3, timeoutMs: 5000});
    r.learn(point(1, 40));
    r.start(0);
    for (let t = 1; t <= 5; t++) expect(r.observe(point(t, 40, 0.05)).state).toBe('recovering');
    expect(r.observe(point(6, 40, 0.05)).state).toBe('not_recovered');
  });
});

describe('the baseline when none was learned', () => {
  const seg = (requests: number, p95: number, failRate = 0) => ({requests, latencyMs: {p95}, failRate});
  it('is the first segment that measured anything, not an empty first one (its p95 of 0 would never be met)', () => {
    // A key pressed in the first second cuts a segment before the first interval's responses arrived.
    expect(firstMeasured([seg(0, 0), seg(120, 55, 0.01), seg(400, 300)])).toEqual({p95: 55, failRate: 0.01});
    expect(firstMeasured([undefined, seg(0, 0)])).toBeUndefined();
    const r = new RecoveryTracker();
    r.start(0, firstMeasured([seg(0, 0), seg(50, 60)]));
    expect(r.status.baselineP95).toBe(60);
    r.observe(point(1, 62));
    r.observe(point(2, 61));
    expect(r.observe(point(3, 60)).state).toBe('recovered');
  });
});
