// -r's default: a 1 s ramp for -u and for every jump the plan makes, so that a spike is a spike and its drop is a drop.
import {describe, expect, it} from 'vitest';
import {asRate, defaultSpawnRate, spike, stages, stepRamp} from '../../source/plan/plan.js';
import {parseArgs} from '../../source/cli/parse.js';

describe('the default spawn rate', () => {
  it('is the largest jump of a spike (5 → 80 users: 75 a second), not the baseline 5 a second', () => {
    const plan = spike({baseline: 5, peak: 80, warmupMs: 15_000, spikeMs: 20_000, recoveryMs: 30_000});
    expect(defaultSpawnRate(plan, 5, 1)).toBe(75);
  });

  it('stays -u for a step ramp, whose steps are smaller than -u (and so did not change)', () => {
    expect(defaultSpawnRate(stepRamp({start: 4, step: 4, everyMs: 10_000, max: 60}), 60, 1)).toBe(60);
    // The demo: a ramp of 20-user steps from 20, at least 5 a second.
    expect(defaultSpawnRate(stepRamp({start: 20, step: 20, everyMs: 15_000, max: 200, down: true}), 20, 5)).toBe(20);
  });

  it('leaves ramping stages to their own pace, and the open model to its rate', () => {
    expect(defaultSpawnRate(stages([{durationMs: 10_000, users: 500}]), 10, 1)).toBe(10);
    expect(defaultSpawnRate(asRate(spike({baseline: 5, peak: 80, warmupMs: 1, spikeMs: 1, recoveryMs: 1}), 100), 5, 1)).toBe(5);
    expect(defaultSpawnRate(undefined, 0, 1)).toBe(1);
  });

  it('is left to the plan when -r is not given, and is what -r says when it is', () => {
    const run = (...args: string[]) => parseArgs(['run', 'x.ts', ...args], '0.0.0') as {spawnRate?: number};
    expect(run('--spike', '80', '-u', '5').spawnRate).toBeUndefined();
    expect(run('--spike', '80', '-u', '5', '-r', '2').spawnRate).toBe(2);
  });
});
