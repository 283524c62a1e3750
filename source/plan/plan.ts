// Load plans: pure functions of the plan clock (ms since the plan started, less time held). The
// steering controller asks a plan how many users it wants now; keys can take over and hand back.

export interface PlanPoint {
  readonly users: number;
  /** 1-based stage number and the count of stages. */
  readonly stage: number;
  readonly stages: number;
  /** ms until the next stage starts, if there is one. */
  readonly nextInMs?: number;
  /** What the stage does, e.g. "40 users", "ramp 20 → 50". */
  readonly label: string;
}

/** One stretch of a plan: `users` at its end, reached linearly from the previous stage's end (or at once). */
export interface Stage {
  readonly durationMs: number;
  readonly users: number;
  /** true: jump to `users` at the stage's start; false: ramp linearly across the stage. */
  readonly jump: boolean;
  readonly label?: string;
}

export interface PlanSpec {
  readonly kind: 'constant' | 'step' | 'stages' | 'spike';
  /**
   * What the plan's numbers count: virtual users (closed model, the default) or iterations started a
   * second (open model, `rate`), with `maxUsers` as the cap on users running them.
   */
  readonly unit?: 'users' | 'rate';
  readonly maxUsers?: number;
  readonly description: string;
  /** The load that counts as normal: `b` drops back to it, and recovery is measured against it. */
  readonly baselineUsers: number;
  readonly stages: ReadonlyArray<Stage>;
  /** For a constant plan with no stages: run until stopped (or `durationMs`). */
  readonly durationMs?: number;
}

export interface Plan extends PlanSpec {
  /** Spawn rate for jumps, users per second (ramps set their own pace). */
  readonly spawnRate: number;
  at(planMs: number): PlanPoint;
  /** Plan-clock ms where the stage after the one at `planMs` begins (for `n`); undefined when none. */
  nextStageAt(planMs: number): number | undefined;
}

export function makePlan(spec: PlanSpec, spawnRate: number): Plan {
  const starts: number[] = [];
  let t = 0;
  for (const s of spec.stages) {
    starts.push(t);
    t += s.durationMs;
  }
  const total = spec.stages.length ? t : undefined;
  const durationMs = spec.durationMs ?? total;
  const n = spec.stages.length;
  return {
    ...spec,
    durationMs,
    spawnRate,
    at(planMs) {
      if (n === 0) return {users: spec.baselineUsers, stage: 1, stages: 1, label: spec.description};
      // (`users` is the plan's quantity: iterations a second when unit is 'rate'.)
      let i = 0;
      while (i < n - 1 && planMs >= starts[i + 1]) i++;
      const stage = spec.stages[i];
      const from = i === 0 ? (stage.jump ? stage.users : 0) : spec.stages[i - 1].users;
      const into = Math.min(Math.max(0, planMs - starts[i]), stage.durationMs);
      const users =
        stage.jump || stage.durationMs === 0 ? stage.users : Math.round(from + ((stage.users - from) * into) / stage.durationMs);
      const nextInMs = i < n - 1 ? starts[i + 1] - planMs : undefined;
      const unit = spec.unit === 'rate' ? '/s' : ' users';
      const label = stage.label ?? (stage.jump || from === stage.users ? `${stage.users}${unit}` : `ramp ${from} → ${stage.users}${unit}`);
      return {users, stage: i + 1, stages: n, nextInMs, label};
    },
    nextStageAt(planMs) {
      for (let i = 0; i < n; i++) if (starts[i] > planMs) return starts[i];
      return undefined;
    },
  };
}

/**
 * The spawn rate when -r is not given: a 1 s ramp, for `users` (-u) and for every jump the plan makes. A spike from 5
 * to 80 users at -u's 5 a second took 15 s to climb and 15 s to come down: no spike, and a recovery timed from a drop
 * that was still under way. Ramping stages set their own pace and are left out.
 */
export function defaultSpawnRate(spec: PlanSpec | undefined, users: number, least: number): number {
  let jump = 0;
  if (spec && spec.unit !== 'rate') {
    let from = 0;
    for (const stage of spec.stages) {
      if (stage.jump) jump = Math.max(jump, Math.abs(stage.users - from));
      from = stage.users;
    }
  }
  return Math.max(least, users, jump);
}

export function constantPlan(users: number, spawnRate: number, durationMs?: number): Plan {
  return makePlan({kind: 'constant', description: `constant ${users} users`, baselineUsers: users, stages: [], durationMs}, spawnRate);
}

export interface StepRampOptions {
  /** Users at the first step (the baseline). */
  readonly start: number;
  /** Users added at each step. */
  readonly step: number;
  /** How long each step lasts, ms. */
  readonly everyMs: number;
  /** The top: the last step is at most this. */
  readonly max: number;
  /** Stay at the top this long, ms (default: one step). */
  readonly holdMs?: number;
  /** Come back down in the same steps to the start, then stay there one more step to watch recovery. */
  readonly down?: boolean;
}

/** The classic stress ramp: baseline → expected peak → beyond → (optionally) back down and observe recovery. */
export function stepRamp(o: StepRampOptions): PlanSpec {
  const levels: number[] = [];
  for (let u = o.start; u < o.max; u += o.step) levels.push(u);
  levels.push(o.max);
  const stages: Stage[] = levels.map((users, i) => ({
    durationMs: i === levels.length - 1 ? (o.holdMs ?? o.everyMs) : o.everyMs,
    users,
    jump: true,
    label: i === levels.length - 1 && o.holdMs ? `hold ${users} users` : `${users} users`,
  }));
  if (o.down) {
    for (let i = levels.length - 2; i >= 0; i--)
      stages.push({durationMs: o.everyMs, users: levels[i], jump: true, label: `down to ${levels[i]} users`});
    stages.push({durationMs: o.everyMs, users: o.start, jump: true, label: `recovery at ${o.start} users`});
  }
  const down = o.down ? ', then back down' : '';
  return {
    kind: 'step',
    description: `step ramp ${o.start} → ${o.max} users, +${o.step} every ${Math.round(o.everyMs / 1000)} s${down}`,
    baselineUsers: o.start,
    stages,
  };
}

/** k6-style stages: each ramps linearly to its target over its duration. */
export function stages(list: ReadonlyArray<{readonly durationMs: number; readonly users: number}>): PlanSpec {
  const baseline = list.find((s) => s.users > 0)?.users ?? 0;
  return {
    kind: 'stages',
    description: `stages ${list.map((s) => `${Math.round(s.durationMs / 1000)}s:${s.users}`).join(', ')}`,
    baselineUsers: baseline,
    stages: list.map((s) => ({durationMs: s.durationMs, users: s.users, jump: false})),
  };
}

export interface SpikeOptions {
  readonly baseline: number;
  readonly peak: number;
  /** Time at the baseline before the spike (learning what normal is), ms. */
  readonly warmupMs: number;
  readonly spikeMs: number;
  /** Time back at the baseline to watch recovery, ms. */
  readonly recoveryMs: number;
}

export function spike(o: SpikeOptions): PlanSpec {
  return {
    kind: 'spike',
    description: `spike ${o.baseline} → ${o.peak} users for ${Math.round(o.spikeMs / 1000)} s`,
    baselineUsers: o.baseline,
    stages: [
      {durationMs: o.warmupMs, users: o.baseline, jump: true, label: `baseline ${o.baseline} users`},
      {durationMs: o.spikeMs, users: o.peak, jump: true, label: `spike ${o.peak} users`},
      {durationMs: o.recoveryMs, users: o.baseline, jump: true, label: `recovery at ${o.baseline} users`},
    ],
  };
}

/** Open model: `spec`'s numbers become iterations a second, run by at most `maxUsers` users. */
export function asRate(spec: PlanSpec, maxUsers: number): PlanSpec {
  const relabel = (text: string) => text.replace(/(\d+) users/g, '$1/s');
  return {
    ...spec,
    unit: 'rate',
    maxUsers,
    description: `${relabel(spec.description)} (open model, at most ${maxUsers} users)`,
    stages: spec.stages.map((s) => ({...s, label: s.label && relabel(s.label)})),
  };
}
