// --max-rps: a worker's share of the cap, as evenly spaced start slots. A request waits for its slot
// before it is sent (and before its latency clock starts: the wait is brink's choice, not the target's).
import {performance} from 'node:perf_hooks';

export class RateLimit {
  private next = 0;
  private readonly gapMs: number;

  constructor(perSecond: number) {
    this.gapMs = 1000 / perSecond;
  }

  /** Resolves when the caller may send; slots are handed out in call order. */
  take(): Promise<void> | undefined {
    const now = performance.now();
    const slot = Math.max(now, this.next);
    this.next = slot + this.gapMs;
    const wait = slot - now;
    return wait >= 1 ? new Promise((resolve) => setTimeout(resolve, wait)) : undefined;
  }
}
