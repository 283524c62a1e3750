// A stage of 0s jumps to its target at once (--stages 0s:100,1m:100), on the command line and in a scenario: a
// jump that had to be written as 1s:100, a ramp of its own.
import {describe, expect, it} from 'vitest';
import {parseArgs} from '../../source/cli/parse.js';
import {makePlan} from '../../source/plan/plan.js';
import {stages as stagesBuilder} from '../../source/scenario/plans.js';
import {UsageError} from '../../source/kernel/errors.js';
import type {PlanSpec} from '../../source/plan/plan.js';

const planOf = (...args: string[]) => (parseArgs(['http://h/', ...args], '0') as {plan?: PlanSpec}).plan!;
const refusal = (...args: string[]) => {
  try {
    parseArgs(['http://h/', ...args], '0');
  } catch (error) {
    return error as UsageError;
  }
  return undefined;
};

describe('a 0s stage', () => {
  it('jumps to its target at once, and the next stage starts from it', () => {
    const plan = makePlan(planOf('--stages', '10s:20,0s:100,10s:100,10s:0'), Infinity);
    expect(plan.durationMs).toBe(30_000);
    expect(plan.at(5000).users).toBe(10); // ramping 0 → 20
    expect(plan.at(10_000).users).toBe(100); // the jump
    expect(plan.at(15_000).users).toBe(100);
    expect(plan.at(25_000).users).toBe(50); // ramping 100 → 0
  });

  it('works for the open model and in a scenario alike', () => {
    const rate = makePlan(planOf('--rate-stages', '0s:50,10s:50'), Infinity);
    expect(rate.unit).toBe('rate');
    expect(rate.at(0).users).toBe(50);
    const fromScenario = makePlan(
      stagesBuilder([
        ['0s', 40],
        ['10s', 40],
      ]),
      Infinity,
    );
    expect(fromScenario.at(0).users).toBe(40);
    expect(fromScenario.at(9_999).users).toBe(40);
  });

  it('is refused when every stage is 0s (a plan of no time), and a malformed one still is', () => {
    const none = refusal('--stages', '0s:10,0s:20');
    expect(none?.code).toBe('BRINK_E_PLAN');
    expect(none?.message).toBe('--stages: the stages add up to no time: give at least one a duration (e.g. --stages 0s:50,1m:50)');
    expect(refusal('--stages', 'soon:10,1m:10')?.message).toBe("--stages: 'soon' is not a duration (use e.g. 30s, 5m, 1h30m, 500ms)");
    expect(() => stagesBuilder([['0s', 10]])).toThrow("stages([...]) add up to no time: give at least one a duration (['1m', 50])");
    // Other duration flags still take no 0.
    expect(refusal('-d', '0s')?.message).toBe("-d/--duration: '0s' is not a duration (use e.g. 30s, 5m, 1h30m, 500ms)");
  });
});
