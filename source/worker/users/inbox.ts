// What a socket received and its script has not read yet, and the one next() waiting for more: a WebSocket's
// messages, an event stream's events. Bounded: a socket whose script never reads keeps its latest messages only.

/** Messages kept unread a socket; older ones are dropped past this. */
export const MAX_UNREAD = 1000;

interface Waiter<T> {
  readonly resolve: (item: T) => void;
  readonly reject: (error: unknown) => void;
  readonly timer: NodeJS.Timeout;
}

export class Inbox<T> {
  private items: T[] = [];
  private head = 0;
  private waiter: Waiter<T> | undefined;

  get waiting(): boolean {
    return this.waiter !== undefined;
  }

  get size(): number {
    return this.items.length - this.head;
  }

  /** An item arrived: to the waiting next(), or kept. False when an unread one had to be dropped for it. */
  push(item: T): boolean {
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      clearTimeout(w.timer);
      w.resolve(item);
      return true;
    }
    this.items.push(item);
    if (this.size <= MAX_UNREAD) return true;
    this.head++;
    this.compact();
    return false;
  }

  /** The oldest unread item, if any. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.items[this.head++];
    this.compact();
    return item;
  }

  /** Waits for the next item for `ms`; then `timedOut()` says what to reject with. One waiter at a time (see `waiting`). */
  wait(ms: number, timedOut: () => unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(timedOut());
      }, ms);
      this.waiter = {resolve, reject, timer};
    });
  }

  /** Ends the waiting next(), if any, with `error`. */
  fail(error: unknown): void {
    const w = this.waiter;
    if (!w) return;
    this.waiter = undefined;
    clearTimeout(w.timer);
    w.reject(error);
  }

  /** Forgets what was not read (the socket is gone). */
  clear(): void {
    this.items = [];
    this.head = 0;
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
