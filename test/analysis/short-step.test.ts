// A step held a few seconds (the user pressed + and then q, or + twice) is thin evidence for the knee: its req/s
// is not set against a full step's. It still counts for the breaking point.
import {describe, expect, it} from 'vitest';
import {findBreakingPoint} from '../../source/analysis/breaking-point.js';
import type {Segment} from '../../source/engine/segments.js';
import {verdictLines, stepsTable} from '../../source/report/verdict.js';
import {summary} from '../report/summaries.js';
import {stepSummary} from '../../source/report/summary.js';

/** A step from `fromS` held `heldS` seconds (its first second settling), at `rps`, `failures` of its requests failed. */
function step(index: number, users: number, rps: number, fromS: number, heldS: number, failures = 0): Segment {
  const requests = Math.round(rps * heldS);
  return {
    index,
    label: `${index} ${users} users`,
    kind: index <= 4 ? 'step' : 'manual',
    fromMs: fromS * 1000,
    toMs: (fromS + heldS) * 1000,
    settledFromMs: (fromS + 1) * 1000,
    users,
    targetUsers: users,
    dropped: 0,
    scriptErrors: 0,
    requests,
    failures,
    rps,
    failRate: failures / requests,
    latencyMs: {mean: 20, p50: 18, p90: 30, p95: 35, p99: 50, max: 80},
    failuresByKind: failures ? {http_503: failures} : {},
    endpoints: {},
  };
}

/** Four 15 s plan steps whose req/s rose with users: no knee so far. */
const climb = [step(1, 50, 250, 0, 15), step(2, 60, 300, 15, 15), step(3, 70, 345, 30, 15), step(4, 80, 390, 45, 15)];

describe('a step cut short', () => {
  it('is not judged for the knee: a few seconds of req/s are not set against a full step', () => {
    // 10 more users, then stopped 5 s later: req/s over 4 settled seconds came out 5 % down (new users logging in).
    const cut = step(5, 90, 370, 60, 5);
    const bp = findBreakingPoint([...climb, cut], []);
    expect(bp.knee).toBeUndefined();
    expect(bp.tooShort).toEqual([{segment: 5, users: 90, seconds: 4, against: 4, againstSeconds: 14}]);
    expect(bp.notReached).toBe(true);
    // Sustained is what was held long enough to judge: 80 users, not the 90 held for 4 s.
    expect(bp.maxSustainable?.users).toBe(80);
    // Held as long as the step before it, the same figures are a knee.
    const held = findBreakingPoint([...climb, step(5, 90, 370, 60, 15)], []);
    expect(held.knee).toMatchObject({segment: 5, against: 4});
    expect(held.tooShort).toBeUndefined();
  });

  it('is still judged for the breaking point: failures are failures', () => {
    const bp = findBreakingPoint([...climb, step(5, 90, 300, 60, 5, 300)], []);
    expect(bp.broken?.segment).toBe(5);
    expect(bp.broken?.reason).toMatch(/^failures 20\.0 %/);
    expect(bp.knee).toBeUndefined();
    expect(bp.maxSustainable?.users).toBe(80);
  });

  it('leaves the step after it judged against the last step held long enough', () => {
    // 60 users for 3 s read high (noise); 70 users for 15 s then rose 30 % on 50 users' step: no knee, though it is
    // below the short step's figure.
    const noisy = [step(1, 50, 250, 0, 15), step(2, 60, 400, 15, 3), step(3, 70, 325, 18, 15)];
    const bp = findBreakingPoint(noisy, []);
    expect(bp.knee).toBeUndefined();
    expect(bp.tooShort?.map((t) => t.segment)).toEqual([2]);
    // Flat against step 1 for 40 % more users: the knee, against step 1.
    const flat = findBreakingPoint([step(1, 50, 250, 0, 15), step(2, 60, 400, 15, 3), step(3, 70, 255, 18, 15)], []);
    expect(flat.knee).toMatchObject({segment: 3, against: 1});
    expect(flat.knee!.usersGain).toBeCloseTo(0.4, 5);
  });

  it('is not judged either when the step before it was cut short too (+ pressed early in a step, then q)', () => {
    // Step 4 cut short by +, 3 s in; the manual step 5 held 4 s: each is set against step 3's 14 s, and neither is judged.
    const bp = findBreakingPoint([...climb.slice(0, 3), step(4, 80, 380, 45, 4), step(5, 90, 330, 49, 5)], []);
    expect(bp.tooShort?.map((t) => [t.segment, t.against])).toEqual([
      [4, 3],
      [5, 3],
    ]);
    expect(bp.knee).toBeUndefined();
    expect(bp.maxSustainable?.users).toBe(70);
  });

  it('judges a step held 10 s or more, however long a warm-up came before it', () => {
    // 5 minutes at 50 users, then a minute at 100 with req/s flat: the knee, though the minute is a fifth of the warm-up.
    const bp = findBreakingPoint([step(1, 50, 250, 0, 300), step(2, 100, 255, 300, 60)], []);
    expect(bp.tooShort).toBeUndefined();
    expect(bp.knee).toMatchObject({segment: 2, against: 1});
  });

  it('judges steps that are all short alike: a plan of 3 s steps still finds its knee', () => {
    const quickSteps = [step(1, 10, 100, 0, 3), step(2, 20, 200, 3, 3), step(3, 30, 205, 6, 3)];
    const bp = findBreakingPoint(quickSteps, []);
    expect(bp.knee?.segment).toBe(3);
    expect(bp.tooShort).toBeUndefined();
  });

  it('is named in the verdict and the step table, so "not reached" does not read as covering it', () => {
    const segments = [...climb, step(5, 90, 370, 60, 5)];
    const steps = segments.map(stepSummary);
    const sum = summary([], {steps, breakingPoint: findBreakingPoint(segments, []), interrupted: true});
    const lines = verdictLines(sum).join('\n');
    expect(lines).toContain(
      "not reached: req/s kept rising with users up to 80 users; step 5 (90 users) held 4 s, too short beside step 4's 14 s to judge",
    );
    expect(lines).toContain('80 users · 390 req/s');
    expect(lines).toContain('(the most held long enough to judge: a floor, not the limit)');
    const table = stepsTable(sum, (_, rows) => rows.map((r) => r.join(' | ')).join('\n'));
    expect(table.split('\n')[4]).toMatch(/too short to judge the knee$/);
  });
});
