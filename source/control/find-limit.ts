// `brink find-limit`: climbs the step ramp until the breaking point is clear (one more step confirms
// it), drops back to the baseline, times the recovery, and ends the run with the verdict.
import type {Engine} from '../engine/engine.js';
import type {RunState} from '../metrics/run-state.js';
import {findBreakingPoint} from '../analysis/breaking-point.js';
import type {Steering} from './steering.js';

export class FindLimit {
  phase: 'climbing' | 'recovering' | 'done' = 'climbing';

  constructor(private readonly engine: Engine, private readonly steering: Steering, private readonly confirmSteps = 1) {}

  attach(): void {
    this.engine.onState((state) => this.check(state));
  }

  private check(state: RunState): void {
    if (this.phase === 'climbing') {
      const bp = findBreakingPoint(state.segments, state.endpoints);
      const at = Math.min(bp.knee?.segment ?? Infinity, bp.broken?.segment ?? Infinity);
      const last = state.segments.at(-1)?.index ?? 0;
      if (at !== Infinity && last - at >= this.confirmSteps) {
        this.phase = 'recovering';
        this.engine.event('info', `breaking point found at step ${at}${bp.maxSustainable ? ` (≈ ${bp.maxSustainable.users} users, ${bp.maxSustainable.rps} req/s)` : ''}: dropping to the baseline`);
        this.steering.dropToBaseline();
      }
    } else if (this.phase === 'recovering') {
      const r = this.steering.live.recovery.state;
      if (r === 'recovered' || r === 'not_recovered') {
        this.phase = 'done';
        this.steering.complete();
      }
    }
  }
}
