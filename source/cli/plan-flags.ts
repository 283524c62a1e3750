// A load plan typed as flags: `--step-users/--step-time` (Locust's step load, up to -u), `--stages` (k6),
// `--spike` (from -u), or the open model's `--rate`/`--rate-stages`.
import {UsageError} from '../kernel/errors.js';
import {asRate, spike, stages, stepRamp, type PlanSpec} from '../plan/plan.js';
import {kebab} from './scan.js';
import {duration, int, number} from './values.js';
import type {FlagValues} from './flag-values.js';

export function planFromFlags(f: FlagValues, users: number, usersFlag: string): PlanSpec | undefined {
  const given = (['stepUsers', 'stages', 'spike', 'rate', 'rateStages'] as const).filter((k) => f.has(k));
  if (given.length > 1) throw new UsageError(`--${kebab(given[0])} and --${kebab(given[1])} are two plans: choose one`, 'BRINK_E_PLAN');
  const stepUsers = f.string('stepUsers');
  const stepTime = f.string('stepTime');
  if (stepUsers !== undefined || stepTime !== undefined) {
    if (stepUsers === undefined || stepTime === undefined) {
      throw new UsageError(`a step ramp needs both --step-users <n> and --step-time <dur> (it climbs to ${usersFlag})`, 'BRINK_E_PLAN');
    }
    const step = int(stepUsers, '--step-users', 1);
    if (users < step)
      throw new UsageError(`${usersFlag} (${users}) is the top of the step ramp: make it at least --step-users (${step})`, 'BRINK_E_PLAN');
    const hold = f.string('hold');
    return stepRamp({
      start: step,
      step,
      everyMs: duration(stepTime, '--step-time'),
      max: users,
      holdMs: hold === undefined ? undefined : duration(hold, '--hold'),
      down: f.bool('stepDown'),
    });
  }
  const maxUsers = int(f.or('maxUsers'), '--max-users', 1);
  const rate = f.string('rate');
  if (rate !== undefined) {
    const n = number(rate, '--rate');
    return asRate({kind: 'constant', description: `constant ${n} users`, baselineUsers: n, stages: []}, maxUsers);
  }
  const list = f.string('stages') ?? f.string('rateStages');
  if (list !== undefined) {
    const flag = f.has('stages') ? '--stages' : '--rate-stages';
    const parsed = list.split(',').map((part) => {
      const m = /^\s*([^:]+):(\d+)\s*$/.exec(part);
      const what = flag === '--stages' ? 'users' : 'rate';
      if (!m) throw new UsageError(`${flag}: '${part.trim()}' is not duration:${what} (e.g. ${flag} 30s:10,2m:50,30s:0)`, 'BRINK_E_PLAN');
      // 0s jumps to its target at once; the next stage starts from it.
      return {durationMs: duration(m[1], flag, true), users: Number(m[2])};
    });
    if (parsed.every((s) => s.durationMs === 0))
      throw new UsageError(
        `${flag}: the stages add up to no time: give at least one a duration (e.g. ${flag} 0s:50,1m:50)`,
        'BRINK_E_PLAN',
      );
    return flag === '--stages' ? stages(parsed) : asRate(stages(parsed), maxUsers);
  }
  const peak = f.string('spike');
  if (peak !== undefined) {
    return spike({
      baseline: users,
      peak: int(peak, '--spike', 1),
      spikeMs: duration(f.or('spikeTime'), '--spike-time'),
      warmupMs: duration(f.or('warmup'), '--warmup'),
      recoveryMs: duration(f.or('recovery'), '--recovery'),
    });
  }
  for (const k of ['hold', 'spikeTime', 'warmup', 'recovery'] as const) {
    if (f.has(k)) throw new UsageError(`--${kebab(k)} goes with ${k === 'hold' ? '--step-users/--step-time' : '--spike'}`, 'BRINK_E_PLAN');
  }
  if (f.bool('stepDown')) throw new UsageError('--step-down goes with --step-users/--step-time', 'BRINK_E_PLAN');
  return undefined;
}
