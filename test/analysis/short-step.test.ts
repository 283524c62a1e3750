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

/** Four 15 s plan steps whose req/s rose with users, as the demo's did: no knee so far. */
const climb = [step(1, 20, 18.4, 0, 15), step(2, 40, 39.5, 15, 15), step(3, 60, 59.7, 30, 15), step(4, 80, 80.6, 45, 15)];

describe('a step cut short', () => {
  it('is not judged for the knee when its shortfall is within the noise of a few seconds of requests', () => {
    // 10 more users, then stopped 5 s later: req/s over 4 settled seconds (306 requests) came out 5 % down.
    const cut = step(5, 90, 76.6, 60, 5);
    const bp = findBreakingPoint([...climb, cut], []);
    expect(bp.knee).toBeUndefined();
    expect(bp.tooShort).toHaveLength(1);
    const [t] = bp.tooShort!;
    expect(t).toMatchObject({segment: 5, users: 90, seconds: 4, against: 4, againstSeconds: 14});
    expect(t.rpsGain).toBeCloseTo(76.6 / 80.6 - 1, 6);
    expect(t.usersGain).toBeCloseTo(0.125, 6);
    // 2 × √(1/306.4 + 1/1128.4): the shortfall (0.081) is within it.
    expect(t.noise).toBeCloseTo(2 * Math.sqrt(1 / (76.6 * 4) + 1 / (80.6 * 14)), 6);
    expect(bp.notReached).toBe(true);
    // Sustained is what was held long enough to judge: 80 users, not the 90 held for 4 s.
    expect(bp.maxSustainable?.users).toBe(80);
    // Held as long as the step before it, the same figures are a knee.
    const held = findBreakingPoint([...climb, step(5, 90, 76.6, 60, 15)], []);
    expect(held.knee).toMatchObject({segment: 5, against: 4});
    expect(held.knee?.short).toBeUndefined();
    expect(held.tooShort).toBeUndefined();
  });

  it('is the knee when it falls short by more than its noise (+83 % users for +1 % req/s over 2 s)', () => {
    // A gunicorn shop whose lock saturates: + pressed 6 s into step 3, again 3 s later.
    const steps = [
      step(1, 4, 67.8, 0, 10),
      step(2, 8, 126.4, 10, 10),
      step(3, 12, 164.9, 20, 6),
      step(4, 22, 166.4, 26, 3),
      step(5, 32, 186.5, 29, 15),
    ];
    const bp = findBreakingPoint(steps, []);
    expect(bp.knee).toMatchObject({segment: 4, users: 22, against: 3});
    expect(bp.knee?.short?.seconds).toBe(2);
    expect(bp.knee?.short?.noise).toBeCloseTo(2 * Math.sqrt(1 / (166.4 * 2) + 1 / (164.9 * 5)), 6);
    expect(bp.tooShort).toBeUndefined();
    expect(bp.maxSustainable?.users).toBe(12);
  });

  it('is still judged for the breaking point: failures are failures', () => {
    const bp = findBreakingPoint([...climb, step(5, 90, 75, 60, 5, 75)], []);
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
    const bp = findBreakingPoint([...climb.slice(0, 3), step(4, 80, 79.6, 45, 4), step(5, 90, 80, 49, 5)], []);
    expect(bp.tooShort?.map((t) => [t.segment, t.against])).toEqual([
      [4, 3],
      [5, 3],
    ]);
    expect(bp.knee).toBeUndefined();
    expect(bp.maxSustainable?.users).toBe(60);
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
    const segments = [...climb, step(5, 90, 76.6, 60, 5)];
    const steps = segments.map(stepSummary);
    const sum = summary([], {steps, breakingPoint: findBreakingPoint(segments, []), interrupted: true});
    const lines = verdictLines(sum).join('\n');
    expect(lines).toContain(
      "not reached: req/s kept rising with users up to 80 users; step 5 (90 users) held 4 s, too short beside step 4's 14 s to judge (req/s -5 % for users +13 %, within its noise of ±13 %)",
    );
    expect(lines).toContain('80 users · 80.6 req/s');
    expect(lines).toContain('(the most held long enough to judge: a floor, not the limit)');
    const table = stepsTable(sum, (_, rows) => rows.map((r) => r.join(' | ')).join('\n'));
    expect(table.split('\n')[4]).toMatch(/too short to judge the knee$/);
    // A short step judged all the same says so, with the noise its shortfall exceeded.
    const lock = [step(1, 8, 126.4, 0, 10), step(2, 12, 164.9, 10, 6), step(3, 22, 166.4, 16, 3)];
    const knee = verdictLines(summary([], {steps: lock.map(stepSummary), breakingPoint: findBreakingPoint(lock, [])})).join('\n');
    expect(knee).toContain(
      'at step 3 (22 users, 166.4 req/s): throughput stopped rising with users (req/s +1 % for users +83 %; held only 2 s, but short of the rule by more than its noise of ±13 %)',
    );
  });
});
