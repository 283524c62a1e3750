// The steering controller: runs a plan on the engine, applies the keys' commands on top of it, times
// recovery, and publishes LiveState. Every command is logged with its time so reports can show it.
//
// How keys and the plan combine (also in the readme): `+`/`-`/`b` take over from the plan (it stops
// changing the users, shown as "manual"); `n` hands back to the plan, at its next stage; `p` freezes
// the plan clock (and the run's end) until pressed again.
import type {LoadControl} from '../engine/engine.js';
import {systemClock, type Clock} from '../kernel/clock.js';
import type {RunState, SeriesPoint} from '../engine/run-state.js';
import {formatDuration} from '../kernel/duration.js';
import {findBreakingPoint, shortMs, signedPercent} from '../analysis/breaking-point.js';
import {describeKind, dominantKind, findOutages, type Outage} from '../analysis/outages.js';
import type {Plan} from '../plan/plan.js';
import {DEFAULT_RECOVERY, firstMeasured, RecoveryTracker, type RecoveryRules} from '../analysis/recovery.js';
import {type LiveState} from './types.js';
import {STEPS, type Command, type ManualChange} from '../plan/commands.js';

/** completed: the plan (or a driver) finished; stopped: a person or a signal ended it; aborted: a threshold did. */
export type RunEnd = 'completed' | 'stopped' | 'aborted';

const WARMUP_POINTS = 2;

export class Steering {
  private readonly listeners = new Set<(state: LiveState) => void>();
  private readonly recovery: RecoveryTracker;
  readonly changes: ManualChange[] = [];
  private stepIndex: number;
  private manual = false;
  private held = false;
  private heldSince = 0;
  private heldTotal = 0;
  private planOffset = 0;
  private startedAt = 0;
  private stressed = false;
  private segmentKey = '';
  private segmentsSeen = 0;
  /** The plan stage whose target was last published (see follow). */
  private shownStage: number | undefined;
  abortReason: string | undefined;
  private readonly noted = new Set<string>();
  /** The run's outages as last read off the series; how many began, and ended, were told in the event log. */
  private outages: Outage[] = [];
  private toldBegan = 0;
  private toldOver = 0;
  /**
   * Asked when the plan is about to leave a stage (find-limit judges each finished step here): true means the
   * driver took over (it dropped the load), and the plan's next stage is not applied.
   */
  onStageEnd: ((stage: number) => boolean) | undefined;
  /** The plan stage last followed. */
  private followedStage: number | undefined;
  private steadyPoints = 0;
  private cancelFollow: (() => void) | undefined;
  private finish!: (end: RunEnd) => void;
  private ended = false;
  /** Resolves when the plan completes or a stop command arrives. */
  readonly done: Promise<RunEnd>;
  live: LiveState;

  constructor(
    private readonly engine: LoadControl,
    private readonly plan: Plan,
    private readonly info: {target: string; scenario: string; mode?: 'quick' | 'scenario'; thresholds?: () => LiveState['thresholds']},
    step = 10,
    recoveryRules: Partial<RecoveryRules> = {},
    private readonly clock: Clock = systemClock,
  ) {
    this.recovery = new RecoveryTracker({...DEFAULT_RECOVERY, ...recoveryRules});
    this.stepIndex = nearestStep(step);
    this.done = new Promise((resolve) => {
      this.finish = resolve;
    });
    this.live = this.compose(engine.state);
  }

  onChange(listener: (state: LiveState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.ended) return; // stopped before it began (a signal during start-up)
    this.startedAt = this.clock.now();
    this.engine.onState((state) => this.onInterval(state));
    this.follow();
    this.cancelFollow = this.clock.every(250, () => this.follow());
  }

  /** The plan clock: run time minus time held, plus any stages skipped with `n`. */
  private planMs(): number {
    const now = this.clock.now();
    const heldNow = this.held ? now - this.heldSince : 0;
    return now - this.startedAt - this.heldTotal - heldNow + this.planOffset;
  }

  private follow(): void {
    if (this.ended) return;
    const t = this.planMs();
    if (this.plan.durationMs !== undefined && t >= this.plan.durationMs) {
      this.end('completed');
      return;
    }
    if (this.manual || this.held) return;
    const point = this.plan.at(t);
    if (this.followedStage !== undefined && point.stage !== this.followedStage && this.onStageEnd?.(this.followedStage)) return;
    this.followedStage = point.stage;
    this.cutSegment(point.stage, point.label, t);
    const wanted = point.users;
    const current = this.level();
    if (wanted === current) return;
    // Ramping stages compute their own pace; jumps happen at the spawn rate.
    const spawnRate = this.plan.kind === 'stages' ? Infinity : this.plan.spawnRate;
    this.apply(wanted, spawnRate);
    if (wanted <= this.plan.baselineUsers && current > this.plan.baselineUsers) {
      // Users stop at the spawn rate too (-r): the load is back at the baseline only that much later.
      const loweringMs = this.plan.unit === 'rate' || !Number.isFinite(spawnRate) ? 0 : ((current - wanted) / spawnRate) * 1000;
      this.startRecovery(`the plan is back at ${this.unitText(wanted)}`, loweringMs);
    }
    // A new stage's target shows at once, as a key's does: the screen said "users 0" for a run's first second.
    // Within a ramping stage (a new target every 250 ms) the measured intervals carry it: a frame each would cost.
    if (point.stage !== this.shownStage) {
      this.shownStage = point.stage;
      this.publish(this.engine.state);
    }
  }

  /** The plan's quantity now: users (closed model) or iterations a second (open model). */
  private level(): number {
    return this.plan.unit === 'rate' ? (this.engine.rate?.perSecond ?? 0) : this.engine.users.target;
  }

  private apply(level: number, spawnRate: number): void {
    if (this.plan.unit === 'rate') this.engine.setRate(level, this.plan.maxUsers ?? 1000);
    else this.engine.setUsers(level, spawnRate);
  }

  private unitText(n: number): string {
    return this.plan.unit === 'rate' ? `${n}/s` : `${n} users`;
  }

  /** Per-stage figures: a segment per plan stage, or per minute when the plan has a single stage. */
  private cutSegment(stage: number, label: string, planMs: number): void {
    const key = this.plan.stages.length > 0 ? `stage ${stage}` : `minute ${Math.floor(planMs / 60_000) + 1}`;
    if (key === this.segmentKey) return;
    this.segmentKey = key;
    this.engine.cut(this.plan.stages.length > 0 ? `${stage}/${this.plan.stages.length} ${label}` : key);
    if (this.plan.stages.length > 1) this.engine.event('users', `step ${stage} of ${this.plan.stages.length}: ${label}`);
  }

  private startRecovery(why: string, loweringMs = 0): void {
    // Without steady baseline intervals to learn from (short steps), the first step that measured anything stands for normal.
    const {segments, openSegment} = this.engine.state;
    this.recovery.start(this.clock.now() - this.engine.state.startedAt, firstMeasured([...segments, openSegment]), loweringMs);
    const said = this.recovery.status.loweringMs;
    const lowering = said ? ` (users stop at the spawn rate, ${this.plan.spawnRate}/s: the load is there in ${formatDuration(said)})` : '';
    this.engine.event('info', `recovery timing started: ${why}${lowering}`);
  }

  dispatch(command: Command): void {
    if (this.ended) return;
    const target = this.level();
    const step = STEPS[this.stepIndex];
    switch (command.type) {
      case 'addUsers':
        this.takeOver(command, target + step);
        break;
      case 'removeUsers':
        this.takeOver(command, Math.max(0, target - step));
        break;
      case 'stepUp':
        this.stepIndex = Math.min(STEPS.length - 1, this.stepIndex + 1);
        break;
      case 'stepDown':
        this.stepIndex = Math.max(0, this.stepIndex - 1);
        break;
      case 'hold':
        if (this.held) {
          this.heldTotal += this.clock.now() - this.heldSince;
          this.held = false;
        } else {
          this.heldSince = this.clock.now();
          this.held = true;
        }
        this.log(command, target, this.held ? 'plan held' : 'plan resumed');
        break;
      case 'next': {
        const next = this.plan.nextStageAt(this.planMs());
        if (next !== undefined) this.planOffset += next - this.planMs();
        this.manual = false;
        this.log(command, target, next !== undefined ? 'next stage' : 'back to the plan');
        this.follow();
        break;
      }
      case 'baseline': {
        const baseline = this.plan.baselineUsers;
        this.takeOver(command, baseline);
        this.startRecovery(`back to ${this.unitText(baseline)}`);
        break;
      }
      case 'stop':
        this.end('stopped');
        break;
    }
    this.publish(this.engine.state);
  }

  private takeOver(command: Command, users: number): void {
    this.manual = true;
    this.segmentKey = `manual ${users}`;
    // Back at the baseline is a recovery window: shown in the step table, never judged as a step of the climb.
    if (command.type === 'baseline') this.engine.cut(`recovery at ${this.unitText(users)}`, 'recovery');
    else this.engine.cut(`manual ${this.unitText(users)}`, 'manual');
    this.apply(users, Infinity);
    const what = this.plan.unit === 'rate' ? 'rate' : 'users';
    this.log(
      command,
      users,
      `${command.type === 'baseline' ? 'baseline' : command.type === 'addUsers' ? '+' : '−'} ${what} → ${this.unitText(users)}`,
    );
  }

  private log(command: Command, users: number, text: string): void {
    this.changes.push({atMs: this.clock.now() - this.startedAt, command: command.type, users});
    this.engine.event('users', text);
  }

  private onInterval(state: RunState): void {
    const point = state.series.at(-1);
    if (point) this.observe(point);
    this.noteOutages(state);
    if (state.segments.length !== this.segmentsSeen) {
      this.segmentsSeen = state.segments.length;
      this.noteVerdicts(state);
    }
    this.publish(state);
  }

  /** Outages at any load, told as they begin and end: "outage began (502 from the proxy)", "outage over after 6.1 s". */
  private noteOutages(state: RunState): void {
    this.outages = findOutages(state.series);
    for (; this.toldBegan < this.outages.length; this.toldBegan++) {
      const o = this.outages[this.toldBegan];
      const kind = dominantKind(o.failuresByKind);
      this.engine.event(
        'failure',
        `outage began${o.stalled ? ' (no response at all)' : kind ? ` (${describeKind(kind)})` : ''}`,
        state.startedAt + o.fromMs,
      );
    }
    for (; this.toldOver < this.outages.length && this.outages[this.toldOver].toMs !== undefined; this.toldOver++) {
      const o = this.outages[this.toldOver];
      this.engine.event(
        'info',
        `outage over after ${((o.toMs! - o.fromMs) / 1000).toFixed(1)} s (${o.failures.toLocaleString('en-US')} failures${o.nothingSucceeded ? ', nothing succeeded' : ''})`,
        state.startedAt + o.toMs!,
      );
    }
  }

  /** Logs the knee, the breaking point and their cause as the steps close, once each, so the live view tells the story. */
  private noteVerdicts(state: RunState): void {
    const bp = findBreakingPoint(state.segments, state.endpoints);
    if (bp.knee && !this.noted.has('knee')) {
      this.noted.add('knee');
      this.engine.event(
        'warning',
        `knee at step ${bp.knee.segment} (${Math.round(bp.knee.users)} users): req/s ${signedPercent(bp.knee.rpsGain)} for users ${signedPercent(bp.knee.usersGain)}`,
      );
    }
    if (bp.broken && !this.noted.has('broken')) {
      this.noted.add('broken');
      this.engine.event(
        'warning',
        `breaking point at step ${bp.broken.segment} (${Math.round(bp.broken.users)} users): ${bp.broken.reason}`,
      );
    }
    if (bp.bottleneck && !this.noted.has('bottleneck')) {
      this.noted.add('bottleneck');
      const b = bp.bottleneck;
      this.engine.event(
        'warning',
        `bottleneck: ${b.endpoint} (≈ ${Math.round(b.share * 100)} % of busy time at the ${b.at}: ${b.rps} req/s × ${shortMs(b.serviceMs)} ms)${b.confidence === 'close' ? ', a close call' : ''}`,
      );
      const h = bp.hurt?.[0];
      if (h)
        this.engine.event('warning', `hurt first: ${h.endpoint} (p95 ${shortMs(h.baselineP95)} → ${shortMs(h.p95)} ms), queued behind it`);
    } else if (bp.firstToDegrade && !bp.bottleneck && !this.noted.has('degrade')) {
      this.noted.add('degrade');
      const d = bp.firstToDegrade;
      this.engine.event('warning', `${d.endpoint} degrades first: p95 ×${d.factor} at ${d.users} users`);
    }
  }

  private observe(point: SeriesPoint): void {
    const baseline = this.plan.baselineUsers;
    const level = this.plan.unit === 'rate' ? (point.rate ?? 0) : point.users;
    if (level > baseline) this.stressed = true;
    const steady = this.plan.unit === 'rate' ? level === baseline : point.users === baseline && point.targetUsers === baseline;
    this.steadyPoints = steady ? this.steadyPoints + 1 : 0;
    if (!this.stressed && steady && this.steadyPoints > WARMUP_POINTS) this.recovery.learn(point);
    const before = this.recovery.status.state;
    const after = this.recovery.observe(point);
    if (before === 'recovering' && after.state === 'recovered') {
      this.engine.event(
        'info',
        `recovered in ${formatDuration(after.recoveredAfterMs ?? 0)} (p95 ${shortMs(after.currentP95 ?? 0)} ms, baseline ${shortMs(after.baselineP95 ?? 0)} ms)`,
      );
    } else if (before === 'recovering' && after.state === 'not_recovered') {
      this.engine.event('warning', `did not recover within ${formatDuration(point.t * 1000 - (after.sinceMs ?? 0))}`);
    }
  }

  /** Ends the run as completed (an automatic driver, such as find-limit, reached its verdict). */
  complete(): void {
    this.end('completed');
    this.publish(this.engine.state);
  }

  /** Ends the run because a guard (abort-on-fail) said so. */
  abort(reason: string): void {
    this.abortReason = reason;
    this.end('aborted');
    this.publish(this.engine.state);
  }

  /** Drops to the baseline and times the recovery, as the `b` key does. */
  dropToBaseline(): void {
    this.dispatch({type: 'baseline'});
  }

  /** The outages so far (the last may still be going on). */
  get outageList(): ReadonlyArray<Outage> {
    return this.outages;
  }

  private end(how: RunEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.cancelFollow?.();
    this.finish(how);
  }

  private publish(state: RunState): void {
    this.live = this.compose(state);
    for (const listener of this.listeners) listener(this.live);
  }

  private compose(run: RunState): LiveState {
    const t = this.startedAt ? this.planMs() : 0;
    const point = this.plan.at(t);
    const left = this.plan.durationMs !== undefined ? ` · ends in ${formatDuration(Math.max(0, this.plan.durationMs - t))}` : '';
    const stage =
      point.stages > 1
        ? `step ${point.stage} of ${point.stages}${point.nextInMs !== undefined ? ` · next in ${formatDuration(point.nextInMs)}` : ''}`
        : point.label;
    const label = this.held
      ? `holding at ${this.unitText(this.level())}${left}`
      : this.manual
        ? `manual: ${this.unitText(this.level())} (n: back to plan)${left}`
        : `${stage}${left}`;
    // A key changes the target at once; the figures catch up at the next interval.
    const live: RunState =
      this.plan.unit === 'rate'
        ? {...run, rate: this.engine.rate?.perSecond ?? run.rate}
        : {...run, users: {...run.users, target: Math.max(0, this.engine.users.target - (this.engine.users.stranded ?? 0))}};
    return {
      run: live,
      target: this.info.target,
      scenario: this.info.scenario,
      ...(this.info.mode ? {mode: this.info.mode} : {}),
      plan: {label, held: this.held, manual: this.manual},
      step: STEPS[this.stepIndex],
      recovery: this.recovery.status,
      outages: this.outages,
      running: !this.ended,
      thresholds: this.info.thresholds?.() ?? [],
    };
  }
}

function nearestStep(step: number): number {
  let best = 0;
  for (let i = 0; i < STEPS.length; i++) if (Math.abs(STEPS[i] - step) < Math.abs(STEPS[best] - step)) best = i;
  return best;
}
