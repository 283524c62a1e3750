// A clock a test moves by hand: `advance(ms)` runs every timer that falls due on the way, in order.
import type {Clock} from '../../source/kernel/clock.js';

export class FakeClock implements Clock {
  private timers: Array<{due: number; every: number; fn: () => void; id: number}> = [];
  private ids = 0;

  constructor(private t = Date.UTC(2026, 0, 2, 3, 4, 5)) {}

  now(): number {
    return this.t;
  }

  every(ms: number, fn: () => void): () => void {
    const id = ++this.ids;
    this.timers.push({due: this.t + ms, every: ms, fn, id});
    return () => {
      this.timers = this.timers.filter((x) => x.id !== id);
    };
  }

  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = this.timers.filter((x) => x.due <= end).sort((a, b) => a.due - b.due)[0];
      if (!next) break;
      this.t = next.due;
      next.due += next.every;
      next.fn();
    }
    this.t = end;
  }
}
