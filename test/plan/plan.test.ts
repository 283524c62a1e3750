// Plans are pure functions of the plan clock: table-driven, like k6's executor tests.
import {describe, expect, it} from 'vitest';
import {constantPlan, makePlan, spike, stages, stepRamp} from '../../source/plan/plan.js';
import {steps as stepsBuilder, stages as stagesBuilder} from '../../source/scenario/plans.js';

describe('step ramp', () => {
  const plan = makePlan(stepRamp({start: 10, step: 10, everyMs: 30_000, max: 40, holdMs: 60_000, down: true}), 5);
  it.each([
    [0, 10, 1, '10 users'],
    [29_999, 10, 1, ''],
    [30_000, 20, 2, ''],
    [60_000, 30, 3, ''],
    [90_000, 40, 4, 'hold'],
    [149_999, 40, 4, ''],
    [150_000, 30, 5, 'down'],
    [180_000, 20, 6, ''],
    [210_000, 10, 7, ''],
    [240_000, 10, 8, 'recovery'],
  ])('at %i ms wants %i users (stage %i)', (t, users, stage, label) => {
    const p = plan.at(t);
    expect(p.users).toBe(users);
    expect(p.stage).toBe(stage);
    if (label) expect(p.label).toContain(label);
  });
  it('knows its length, baseline and next stage', () => {
    expect(plan.durationMs).toBe(30_000 * 3 + 60_000 + 30_000 * 4);
    expect(plan.baselineUsers).toBe(10);
    expect(plan.nextStageAt(45_000)).toBe(60_000);
    expect(plan.at(45_000).nextInMs).toBe(15_000);
    expect(plan.nextStageAt(250_000)).toBeUndefined();
  });
  it('ends exactly at max even when the step does not divide it', () => {
    const p = makePlan(stepRamp({start: 5, step: 10, everyMs: 1000, max: 30}), 1);
    expect(p.stages.map((s) => s.users)).toEqual([5, 15, 25, 30]);
  });
});

describe('k6-style stages', () => {
  const plan = makePlan(
    stages([
      {durationMs: 10_000, users: 20},
      {durationMs: 20_000, users: 50},
      {durationMs: 10_000, users: 0},
    ]),
    1,
  );
  it.each([
    [0, 0],
    [5_000, 10],
    [10_000, 20],
    [20_000, 35],
    [30_000, 50],
    [35_000, 25],
    [40_000, 0],
    [99_000, 0],
  ])('at %i ms wants %i users', (t, users) => {
    expect(plan.at(t).users).toBe(users);
  });
  it('labels ramps and takes the first target as the baseline', () => {
    expect(plan.at(15_000).label).toBe('ramp 20 → 50 users');
    expect(plan.baselineUsers).toBe(20);
    expect(plan.durationMs).toBe(40_000);
  });
});

describe('spike', () => {
  const plan = makePlan(spike({baseline: 10, peak: 200, warmupMs: 30_000, spikeMs: 20_000, recoveryMs: 60_000}), 50);
  it('jumps to the peak and back', () => {
    expect([0, 29_999, 30_000, 49_999, 50_000, 109_999].map((t) => plan.at(t).users)).toEqual([10, 10, 200, 200, 10, 10]);
    expect(plan.baselineUsers).toBe(10);
  });
});

describe('constant', () => {
  it('holds its users and runs until stopped unless given a duration', () => {
    const p = constantPlan(25, 5);
    expect(p.at(1e9).users).toBe(25);
    expect(p.durationMs).toBeUndefined();
    expect(constantPlan(25, 5, 60_000).durationMs).toBe(60_000);
  });
});

describe('scenario plan builders', () => {
  it('take durations as text and validate', () => {
    const spec = stepsBuilder({start: 5, step: 5, every: '10s', max: 20});
    expect(spec.stages.map((s) => [s.durationMs, s.users])).toEqual([
      [10_000, 5],
      [10_000, 10],
      [10_000, 15],
      [10_000, 20],
    ]);
    expect(() => stepsBuilder({start: 5, step: 5, every: 'soon', max: 20})).toThrow(/steps every: 'soon' is not a duration/);
    expect(() => stepsBuilder({start: 50, step: 5, every: '1s', max: 20})).toThrow(/max must be >= start/);
    expect(
      stagesBuilder([
        ['1m', 10],
        ['30s', 0],
      ]).stages.map((s) => s.durationMs),
    ).toEqual([60_000, 30_000]);
  });
});
