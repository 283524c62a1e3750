// A fixed pool of request handlers (like Gunicorn workers) in front of a bounded queue (like a listen backlog).
// A request holds a handler for its route's service time. When every handler is busy it waits in the queue, so
// latency climbs; when the queue is full it is shed at once with 503; a request that waited longer than
// `queueTimeoutMs` gets 504. Nothing is leaked under overload: when the load drops, the queue drains and latency
// comes back by itself.
import type http from 'node:http';
import type {Counters} from '../counters.js';
import {json, type Reply} from '../reply.js';

export interface PoolLimits {
  readonly handlers: number;
  readonly queue: number;
  readonly queueTimeoutMs: number;
}

/** Answers (and counts) a request the pool turns away. */
export type Answer = (res: http.ServerResponse, name: string, reply: Reply) => void;

interface Waiter {
  readonly at: number;
  readonly res: http.ServerResponse;
  readonly name: string;
  readonly resolve: (admitted: boolean) => void;
}

export class HandlerPool {
  /** Handlers serving a request now. */
  busy = 0;
  private readonly queue: Waiter[] = [];
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: PoolLimits,
    private readonly counters: Counters,
    private readonly answer: Answer,
  ) {}

  /** Requests waiting for a handler now. */
  get queued(): number {
    return this.queue.length;
  }

  /** Takes a handler now, or queues for one, or sheds. False when the request was already answered. */
  admit(res: http.ServerResponse, name: string): boolean | Promise<boolean> {
    if (this.busy < this.limits.handlers) {
      this.busy++;
      return true;
    }
    if (this.queue.length >= this.limits.queue) {
      this.counters.now.shed++;
      const detail = 'all handlers are busy and the queue is full';
      this.answer(res, name, json(503, {error: 'overloaded', detail}, {'retry-after': '1'}));
      return false;
    }
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {at: Date.now(), res, name, resolve};
      this.queue.push(waiter);
      if (this.queue.length > this.counters.now.maxQueued) this.counters.now.maxQueued = this.queue.length;
      // A client that gave up leaves the queue: its place goes to the next one.
      res.once('close', () => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) {
          this.queue.splice(i, 1);
          resolve(false);
        }
      });
      this.sweeper ??= setInterval(() => this.sweep(), 100);
      this.sweeper.unref();
    });
  }

  /** Gives the handler back: the oldest waiter that has not timed out takes it. */
  release(): void {
    this.busy--;
    this.sweep();
    while (this.busy < this.limits.handlers && this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.busy++;
      next.resolve(true);
    }
  }

  /** Stops the sweeper and turns every waiter away unanswered (the server is closing). */
  dispose(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    for (const w of this.queue.splice(0)) w.resolve(false);
  }

  /** Answers 504 to the requests that waited too long (the oldest are at the head). */
  private sweep(): void {
    const {queueTimeoutMs} = this.limits;
    const limit = Date.now() - queueTimeoutMs;
    while (this.queue.length > 0 && this.queue[0].at <= limit) {
      const w = this.queue.shift()!;
      this.counters.now.timedOut++;
      this.answer(w.res, w.name, json(504, {error: 'gateway_timeout', detail: `waited more than ${queueTimeoutMs} ms for a handler`}));
      w.resolve(false);
    }
    if (this.queue.length === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }
}
