// Watches thresholds while a run goes: logs when one breaks or holds again in an interval, and with
// abort-on-fail stops a run whose thresholds stay broken for the grace period, so a test does not go on
// hammering a failing shared environment. The final verdict is judged on the whole run, elsewhere.
import type {LoadControl} from '../engine/engine.js';
import type {RunState} from '../engine/run-state.js';
import {formatValue, holds, intervalFigures, measure, type Threshold} from '../analysis/thresholds.js';

export interface LiveThreshold {
  readonly expression: string;
  /** Whether the last interval kept it. */
  readonly ok: boolean;
  readonly value: string;
}

export class ThresholdWatch {
  private readonly brokenSince = new Map<string, number>();
  live: LiveThreshold[] = [];

  constructor(
    private readonly engine: LoadControl,
    private readonly thresholds: ReadonlyArray<Threshold>,
    /** Abort after a threshold stayed broken this long (ms); undefined: never abort. */
    private readonly abortAfterMs: number | undefined,
    private readonly abort: (reason: string) => void,
  ) {}

  attach(): void {
    if (this.thresholds.length > 0) this.engine.onState((state) => this.check(state));
  }

  private check(state: RunState): void {
    const at = state.elapsedMs;
    this.live = this.thresholds.map((t) => {
      const value = measure(t, intervalFigures(state, t.scope));
      const ok = holds(t, value);
      const since = this.brokenSince.get(t.expression);
      if (!ok && since === undefined) {
        this.brokenSince.set(t.expression, at);
        this.engine.event('warning', `threshold ${t.expression} broken (${formatValue(t, value)})`);
      } else if (ok && since !== undefined) {
        this.brokenSince.delete(t.expression);
        this.engine.event('info', `threshold ${t.expression} holds again (${formatValue(t, value)})`);
      }
      return {expression: t.expression, ok, value: formatValue(t, value)};
    });
    if (this.abortAfterMs === undefined) return;
    for (const [expression, since] of this.brokenSince) {
      if (at - since >= this.abortAfterMs) {
        const reason = `threshold ${expression} broken for ${Math.round((at - since) / 1000)} s`;
        this.engine.event('warning', `aborting: ${reason}`);
        this.abort(reason);
        return;
      }
    }
  }
}
