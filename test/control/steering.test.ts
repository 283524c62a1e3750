// The steering controller publishes what the plan asks for as it asks: the screen must not wait for the
// next measured interval to show a new target (it said "users 0" for the first second of every run).
import {afterEach, describe, expect, it} from 'vitest';
import {startFaultServer, type FaultServer} from '../helpers/fault-server.js';
import {Engine} from '../../source/engine/engine.js';
import {Steering} from '../../source/control/steering.js';
import {constantPlan, makePlan, stages, stepRamp} from '../../source/plan/plan.js';
import type {LiveState} from '../../source/control/types.js';
import {sleep} from '../helpers/run.js';

let server: FaultServer | undefined;
let engine: Engine | undefined;
afterEach(async () => {
  await engine?.stop(100);
  await server?.close();
  engine = undefined;
  server = undefined;
});

const quick = {kind: 'quick', method: 'GET', path: '/ok', headers: {}} as const;

async function steer(plan: ReturnType<typeof constantPlan>): Promise<{steering: Steering; published: LiveState[]; ticks: () => number}> {
  server = await startFaultServer();
  // An interval far longer than the test: no measured interval arrives to carry the targets.
  engine = new Engine({workload: quick, host: server.url, workers: 1, intervalMs: 60_000});
  await engine.start();
  let ticks = 0;
  engine.onState(() => ticks++);
  const steering = new Steering(engine, plan, {target: server.url, scenario: 'quick'});
  const published: LiveState[] = [];
  steering.onChange((s) => published.push(s));
  steering.start();
  return {steering, published, ticks: () => ticks};
}

describe('the plan’s targets reach the screen as they are set', () => {
  it('the first users show at the start, before any interval was measured', async () => {
    const {published, ticks} = await steer(constantPlan(3, Infinity));
    expect(ticks()).toBe(0);
    expect(published.at(-1)?.run.users.target).toBe(3);
    expect(published.at(-1)?.plan.label).toMatch(/constant 3 users/);
  });

  it('each step of a ramp shows when the plan takes it', async () => {
    const {steering, published, ticks} = await steer(makePlan(stepRamp({start: 2, step: 2, everyMs: 400, max: 6}), Infinity));
    await sleep(1100);
    expect(ticks()).toBe(0);
    const targets = [...new Set(published.map((s) => s.run.users.target))];
    expect(targets).toEqual([2, 4, 6]);
    expect(published.at(-1)?.plan.label).toMatch(/step 3 of 3/);
    steering.dispatch({type: 'stop'});
  });

  it('a ramping stage shows its start at once, and its targets every 250 ms are left to the intervals (a frame each would cost)', async () => {
    const {steering, published, ticks} = await steer(makePlan(stages([{durationMs: 5000, users: 40}]), Infinity));
    await sleep(1100);
    expect(ticks()).toBe(0);
    expect(engine!.users.target).toBeGreaterThanOrEqual(6); // the ramp moved on meanwhile…
    expect(published).toHaveLength(1); // …but only its start was published
    expect(published[0]!.plan.label).toMatch(/ramp|stages|→/);
    steering.dispatch({type: 'stop'});
  });
});
