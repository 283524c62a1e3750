// The global order lock (a row lock on the stock table): checkouts run one at a time, in arrival order, while
// holding their handler. So checkout saturates before the rest of the shop, then drags the rest down with it.
import type {Counters} from '../counters.js';

export class OrderLock {
  private tail: Promise<void> = Promise.resolve();
  private holders = 0;

  constructor(private readonly counters: Counters) {}

  /** Runs `fn` holding the lock; counts how many ever held it at once (1 unless the lock is broken). */
  async hold<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let unlock!: () => void;
    this.tail = new Promise<void>((resolve) => {
      unlock = resolve;
    });
    await previous;
    this.holders++;
    if (this.holders > this.counters.now.maxOrderConcurrency) this.counters.now.maxOrderConcurrency = this.holders;
    try {
      return await fn();
    } finally {
      this.holders--;
      unlock();
    }
  }
}
