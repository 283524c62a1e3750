// Load plans a scenario can carry (`scenario({plan: steps({...})})`); command-line flags override them.
// Durations are strings like '30s' or numbers of seconds, as on the command line.
import {parseDuration} from '../kernel/duration.js';
import {asRate, spike as spikeSpec, stages as stagesSpec, stepRamp, type PlanSpec} from '../plan/plan.js';
import {ScenarioError} from './define.js';

export type Duration = string | number;

/** `zero`: 0 is taken (a stage of 0s jumps to its target at once). */
function ms(d: Duration, what: string, zero = false): number {
  const v = parseDuration(d);
  if (v === undefined || v < 0 || (v === 0 && !zero)) throw new ScenarioError(`${what}: '${d}' is not a duration (use e.g. 30s, 5m)`);
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
  const parsed = list.map(([d, u], i) => ({durationMs: ms(d, `stage ${i + 1}`, true), users: count(u, `stage ${i + 1} users`)}));
  if (parsed.every((s) => s.durationMs === 0))
    throw new ScenarioError("stages([...]) add up to no time: give at least one a duration (['1m', 50])");
  return stagesSpec(parsed);
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

/**
 * The open model: iterations (a weighted task each) start on schedule whatever the target does, `rate` a
 * second, or k6-style stages of rates (`[['1m', 50], ['2m', 200]]`); at most `maxUsers` users run them
 * (default 1000). The command line's `--rate`/`--rate-stages` override it.
 */
export function arrivals(o: {rate: number | ReadonlyArray<readonly [Duration, number]>; maxUsers?: number}): PlanSpec {
  const maxUsers = o.maxUsers === undefined ? 1000 : count(o.maxUsers, 'arrivals maxUsers');
  if (maxUsers === 0) throw new ScenarioError('arrivals maxUsers must be at least 1');
  if (typeof o.rate === 'number') {
    if (!(o.rate > 0) || !Number.isFinite(o.rate)) throw new ScenarioError(`arrivals rate must be a positive number, got ${o.rate}`);
    return asRate({kind: 'constant', description: `constant ${o.rate} users`, baselineUsers: o.rate, stages: []}, maxUsers);
  }
  return asRate(stages(o.rate), maxUsers);
}
