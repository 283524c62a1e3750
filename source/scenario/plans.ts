// Load plans a scenario can carry (`scenario({plan: steps({...})})`); command-line flags override them.
// Durations are strings like '30s' or numbers of seconds, as on the command line.
import {parseDuration} from '../kernel/duration.js';
import {spike as spikeSpec, stages as stagesSpec, stepRamp, type PlanSpec} from '../plan/plan.js';
import {ScenarioError} from './define.js';

export type Duration = string | number;

function ms(d: Duration, what: string): number {
  const v = parseDuration(d);
  if (v === undefined || v <= 0) throw new ScenarioError(`${what}: '${d}' is not a duration (use e.g. 30s, 5m)`);
  return v;
}

function count(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0) throw new ScenarioError(`${what} must be a whole number >= 0, got ${n}`);
  return n;
}

/** Step ramp: `start` users, `+step` every `every`, up to `max`; optionally hold at the top and come back down. */
export function steps(o: {start: number; step: number; every: Duration; max: number; hold?: Duration; down?: boolean}): PlanSpec {
  if (count(o.max, 'steps max') < count(o.start, 'steps start')) throw new ScenarioError('steps: max must be >= start');
  if (count(o.step, 'steps step') === 0) throw new ScenarioError('steps: step must be at least 1');
  return stepRamp({
    start: o.start,
    step: o.step,
    everyMs: ms(o.every, 'steps every'),
    max: o.max,
    holdMs: o.hold === undefined ? undefined : ms(o.hold, 'steps hold'),
    down: o.down,
  });
}

/** k6-style stages: `[['30s', 20], ['2m', 50], ['30s', 0]]`, each a linear ramp to its target. */
export function stages(list: ReadonlyArray<readonly [Duration, number]>): PlanSpec {
  if (!Array.isArray(list) || list.length === 0) throw new ScenarioError('stages([...]) needs at least one [duration, users] pair');
  return stagesSpec(list.map(([d, u], i) => ({durationMs: ms(d, `stage ${i + 1}`), users: count(u, `stage ${i + 1} users`)})));
}

/** A spike: `baseline` users, then `peak` for `duration`, then back to the baseline to watch recovery. */
export function spike(o: {baseline: number; peak: number; duration: Duration; warmup?: Duration; recovery?: Duration}): PlanSpec {
  return spikeSpec({
    baseline: count(o.baseline, 'spike baseline'),
    peak: count(o.peak, 'spike peak'),
    spikeMs: ms(o.duration, 'spike duration'),
    warmupMs: o.warmup === undefined ? 30_000 : ms(o.warmup, 'spike warmup'),
    recoveryMs: o.recovery === undefined ? 60_000 : ms(o.recovery, 'spike recovery'),
  });
}
