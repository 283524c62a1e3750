// `brink find-limit`: climbs the step ramp until the knee or the breaking point is clear (one more step
// confirms it), drops back to the baseline, times the recovery, and ends the run with the verdict. It judges
// each step as the plan leaves it, so the climb ends on a whole step: no partial step of its own.
import type {LoadControl} from '../engine/engine.js';
import {findBreakingPoint} from '../analysis/breaking-point.js';
import type {Steering} from './steering.js';

export class FindLimit {
  phase: 'climbing' | 'recovering' | 'done' = 'climbing';

  constructor(
    private readonly engine: LoadControl,
    private readonly steering: Steering,
    private readonly confirmSteps = 1,
  ) {}

  attach(): void {
    this.steering.onStageEnd = () => this.stepEnded();
    this.engine.onState(() => this.check());
  }

  /** The plan is leaving a step: with the knee or the break confirmed, drop to the baseline instead of climbing on. */
  private stepEnded(): boolean {
    if (this.phase !== 'climbing') return false;
    const {segments, openSegment, endpoints} = this.engine.state;
    const all = openSegment ? [...segments, openSegment] : [...segments];
    const bp = findBreakingPoint(all, endpoints);
    const at = Math.min(bp.knee?.segment ?? Infinity, bp.broken?.segment ?? Infinity);
    const last = all.at(-1)?.index ?? 0;
    if (at === Infinity || last - at < this.confirmSteps) return false;
    this.phase = 'recovering';
    const what =
      bp.knee?.segment === at && bp.broken?.segment === at
        ? 'knee and breaking point'
        : bp.knee?.segment === at
          ? 'knee'
          : 'breaking point';
    const sustained = bp.maxSustainable ? ` (sustainable: ≈ ${bp.maxSustainable.users} users, ${bp.maxSustainable.rps} req/s)` : '';
    this.engine.event(
      'info',
      `${what} at step ${at}, confirmed by step ${last}${sustained}: dropping to the baseline to time the recovery`,
    );
    this.steering.dropToBaseline();
    return true;
  }

  private check(): void {
    if (this.phase !== 'recovering') return;
    const r = this.steering.live.recovery.state;
    if (r === 'recovered' || r === 'not_recovered') {
      this.phase = 'done';
      this.steering.complete();
    }
  }
}
