// The steering controller's decisions, driven by a fake clock and an in-memory engine: what the plan asks
// for at each moment, what the keys change, and what find-limit does when a step ends. No threads, no waiting.
import {describe, expect, it} from 'vitest';
import {Steering} from '../../source/control/steering.js';
import {FindLimit} from '../../source/control/find-limit.js';
import {constantPlan, makePlan, spike, stepRamp} from '../../source/plan/plan.js';
import type {Segment} from '../../source/engine/segments.js';
import {FakeClock} from '../helpers/fake-clock.js';
import {FakeLoad} from '../helpers/fake-load.js';

const info = {target: 'http://127.0.0.1:1', scenario: 'fake'};

function steered(plan = makePlan(stepRamp({start: 2, step: 2, everyMs: 10_000, max: 8}), Infinity)) {
  const clock = new FakeClock();
  const load = new FakeLoad({startedAt: clock.now()});
  const steering = new Steering(load, plan, info, 10, {}, clock);
  steering.start();
  return {clock, load, steering};
}

describe('the plan, on the plan clock', () => {
  it('applies each step when it is due, and cuts a segment for it', () => {
    const {clock, load} = steered();
    expect(load.asked).toEqual([2]);
    clock.advance(9_999);
    expect(load.asked).toEqual([2]);
    clock.advance(1);
    expect(load.asked).toEqual([2, 4]);
    clock.advance(20_000);
    expect(load.asked).toEqual([2, 4, 6, 8]);
    expect(load.cuts).toEqual([
      ['1/4 2 users', 'step'],
      ['2/4 4 users', 'step'],
      ['3/4 6 users', 'step'],
      ['4/4 8 users', 'step'],
    ]);
  });

  it('p holds the plan clock (and the run end); again resumes where it was', async () => {
    const {clock, load, steering} = steered();
    clock.advance(5_000);
    steering.dispatch({type: 'hold'});
    clock.advance(60_000);
    expect(load.asked).toEqual([2]);
    steering.dispatch({type: 'hold'});
    clock.advance(4_999);
    expect(load.asked).toEqual([2]);
    clock.advance(1);
    expect(load.asked).toEqual([2, 4]);
    expect(steering.changes.map((c) => [c.command, c.atMs])).toEqual([
      ['hold', 5_000],
      ['hold', 65_000],
    ]);
  });

  it('+ takes over from the plan (it no longer changes the users); n hands back at the next stage', () => {
    const {clock, load, steering} = steered();
    steering.dispatch({type: 'addUsers'});
    expect(load.asked).toEqual([2, 12]);
    expect(steering.live.plan.manual).toBe(true);
    clock.advance(25_000);
    expect(load.asked).toEqual([2, 12]);
    steering.dispatch({type: 'next'});
    expect(load.asked).toEqual([2, 12, 8]);
    expect(load.cuts.at(-1)).toEqual(['4/4 8 users', 'step']);
    expect(load.cuts).toContainEqual(['manual 12 users', 'manual']);
  });

  it('b drops to the baseline, opens a recovery window (never judged as a step) and starts timing the recovery', () => {
    const {clock, load, steering} = steered();
    clock.advance(20_000);
    steering.dispatch({type: 'baseline'});
    expect(load.asked.at(-1)).toBe(2);
    expect(load.cuts.at(-1)).toEqual(['recovery at 2 users', 'recovery']);
    expect(steering.live.recovery.state).toBe('recovering');
    expect(steering.live.recovery.sinceMs).toBe(20_000);
  });

  it("a plan's drop at a spawn rate times the recovery from the drop, and says how long lowering the load took", () => {
    // A spike 5 → 80 users at -r 5: users stop at 5 a second, so the load is back at 5 users 15 s after the drop began.
    const plan = makePlan(spike({baseline: 5, peak: 80, warmupMs: 10_000, spikeMs: 20_000, recoveryMs: 30_000}), 5);
    const {clock, load, steering} = steered(plan);
    clock.advance(30_000);
    expect(load.asked).toEqual([5, 80, 5]);
    expect(steering.live.recovery).toMatchObject({state: 'recovering', sinceMs: 30_000, loweringMs: 15_000});
    expect(load.events).toContain(
      'recovery timing started: the plan is back at 5 users (users stop at the spawn rate, 5/s: the load is there in 15s)',
    );
    // Within a second (the default -r, the jump a second), as at once: nothing to add.
    const quick = steered(makePlan(spike({baseline: 5, peak: 80, warmupMs: 10_000, spikeMs: 20_000, recoveryMs: 30_000}), 75));
    quick.clock.advance(30_000);
    expect(quick.steering.live.recovery.loweringMs).toBeUndefined();
    expect(quick.load.events).toContain('recovery timing started: the plan is back at 5 users');
  });

  it('a constant plan ends the run by itself at its duration', async () => {
    const {clock, steering} = steered(constantPlan(5, Infinity, 30_000));
    let ended: string | undefined;
    void steering.done.then((how) => {
      ended = how;
    });
    clock.advance(29_750);
    await Promise.resolve();
    expect(ended).toBeUndefined();
    clock.advance(250);
    await Promise.resolve();
    expect(ended).toBe('completed');
  });
});

describe('find-limit, as each step ends', () => {
  const seg = (index: number, users: number, rps: number, p95: number): Segment => ({
    index,
    label: `${index}/10 ${users} users`,
    kind: 'step',
    fromMs: (index - 1) * 10_000,
    toMs: index * 10_000,
    settledFromMs: (index - 1) * 10_000 + 1000,
    users,
    targetUsers: users,
    requests: rps * 9,
    failures: 0,
    failuresByKind: {},
    dropped: 0,
    scriptErrors: 0,
    rps,
    failRate: 0,
    latencyMs: {mean: p95 / 2, p50: p95 / 2, p90: p95, p95, p99: p95, max: p95},
    endpoints: {},
  });

  it('climbs while throughput rises; at the step that confirms the knee it drops to the baseline instead of climbing on', () => {
    const {clock, load, steering} = steered(makePlan(stepRamp({start: 2, step: 2, everyMs: 10_000, max: 20}), Infinity));
    new FindLimit(load, steering).attach();
    load.publish({segments: [], openSegment: seg(1, 2, 100, 10)});
    clock.advance(10_000);
    load.publish({segments: [seg(1, 2, 100, 10)], openSegment: seg(2, 4, 200, 10)});
    clock.advance(10_000);
    // Step 3: 6 users, no more throughput: the knee. Not confirmed yet, so the plan climbs to step 4.
    load.publish({segments: [seg(1, 2, 100, 10), seg(2, 4, 200, 10)], openSegment: seg(3, 6, 205, 30)});
    clock.advance(10_000);
    expect(load.asked).toEqual([2, 4, 6, 8]);
    load.publish({segments: [seg(1, 2, 100, 10), seg(2, 4, 200, 10), seg(3, 6, 205, 30)], openSegment: seg(4, 8, 206, 60)});
    clock.advance(10_000);
    // Step 4 confirmed it: back to 2 users, in a recovery window; no partial step of its own.
    expect(load.asked).toEqual([2, 4, 6, 8, 2]);
    expect(load.cuts.at(-1)).toEqual(['recovery at 2 users', 'recovery']);
    expect(load.events.find((e) => e.startsWith('knee at step 3,'))).toMatch(
      /confirmed by step 4 \(sustainable: ≈ 4 users, 200 req\/s\): dropping to the baseline/,
    );
  });
});

describe('users a lost agent took with it', () => {
  it('leave the target the live view shows, not the one the keys step from', () => {
    const {load, steering} = steered(constantPlan(40, Infinity));
    expect(load.asked).toEqual([40]);
    load.users = {current: 40, target: 40, stranded: 20};
    load.publish({users: {active: 20, target: 20, stopping: 0}});
    // Not "20 → 40 spawning": the 20 are not coming.
    expect(steering.live.run.users).toMatchObject({active: 20, target: 20});
    steering.dispatch({type: 'addUsers'});
    expect(load.asked.at(-1)).toBe(50);
  });
});
