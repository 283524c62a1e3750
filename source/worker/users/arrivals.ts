// The open model: iterations fall due on a fixed schedule whatever the target does (wrk2's constant
// throughput). Each goes to an idle virtual user, or a new one up to the cap. With every user busy and
// the cap reached, it waits for the next user to come free, and its latency still counts from when it
// was due: queueing in front of the target shows in the percentiles instead of being skipped. One that
// waits past the timeout, or is still waiting when the run ends, is dropped: a failure of kind `dropped`.
import {performance} from 'node:perf_hooks';

export interface OpenUser {
  iterate(dueAt: number): Promise<void>;
  stop(keepConnection?: boolean): void;
  readonly done: Promise<void>;
}

/** Due iterations waiting for a user, at most: past this, a new one is dropped at once (memory stays bounded). */
const MAX_WAITING = 1_000_000;

export class Arrivals {
  private readonly idle: OpenUser[] = [];
  readonly users: OpenUser[] = [];
  private periodMs = Infinity;
  private nextDue = 0;
  private timer: NodeJS.Timeout | undefined;
  private maxUsers = 0;
  /** Due times (performance.now() ms) of iterations waiting for a free user, oldest first. */
  private waiting: number[] = [];
  /** The first still-waiting entry of `waiting` (a head index: shift() on a long array copies it). */
  private head = 0;
  busy = 0;
  /** Since the last `take()`: iterations that fell due, started, and were dropped. */
  private counts = {scheduled: 0, started: 0, dropped: 0};
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  /** `timeoutMs`: how long an iteration may wait for a user before it is dropped (the run's --timeout). */
  constructor(
    private readonly create: () => OpenUser,
    private readonly timeoutMs: number,
  ) {}

  /** `perSecond` iterations a second on this worker, with at most `maxUsers` users. */
  setRate(perSecond: number, maxUsers: number): void {
    this.maxUsers = maxUsers;
    const wasIdle = this.periodMs === Infinity;
    this.periodMs = perSecond > 0 ? 1000 / perSecond : Infinity;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.periodMs === Infinity) return;
    // A new rate takes effect from now; an old schedule is not replayed at the new pace.
    if (wasIdle || this.nextDue < performance.now() - 1000) this.nextDue = performance.now();
    this.fire();
  }

  /** Iterations waiting for a user now. */
  get queued(): number {
    return this.waiting.length - this.head;
  }

  /** The interval's counts, reset. */
  take(): {scheduled: number; started: number; dropped: number} {
    const out = this.counts;
    this.counts = {scheduled: 0, started: 0, dropped: 0};
    return out;
  }

  private fire(): void {
    const now = performance.now();
    this.expire(now);
    while (this.nextDue <= now) {
      this.counts.scheduled++;
      this.due(this.nextDue);
      this.nextDue += this.periodMs;
    }
    this.timer = setTimeout(() => this.fire(), Math.max(0, this.nextDue - performance.now()));
  }

  private due(dueAt: number): void {
    // Iterations already waiting go first: a user that is free now serves the oldest.
    if (this.queued === 0) {
      const user = this.idle.pop() ?? (this.users.length < this.maxUsers ? this.newUser() : undefined);
      if (user) return this.launch(user, dueAt);
    }
    if (this.queued >= MAX_WAITING) this.counts.dropped++;
    else this.waiting.push(dueAt);
  }

  private newUser(): OpenUser {
    const user = this.create();
    this.users.push(user);
    return user;
  }

  private launch(user: OpenUser, dueAt: number): void {
    this.busy++;
    this.counts.started++;
    const running = user.iterate(dueAt).finally(() => {
      this.busy--;
      this.running.delete(running);
      this.freed(user);
    });
    this.running.add(running);
  }

  /** A user finished its iteration: it takes the oldest waiting one still within the timeout, or goes idle. */
  private freed(user: OpenUser): void {
    if (this.stopped) return;
    this.expire(performance.now());
    if (this.queued > 0) {
      const dueAt = this.waiting[this.head++];
      this.compact();
      this.launch(user, dueAt);
    } else {
      this.idle.push(user);
    }
  }

  /** Drops the waiting iterations older than the timeout. */
  private expire(now: number): void {
    while (this.queued > 0 && now - this.waiting[this.head] > this.timeoutMs) {
      this.head++;
      this.counts.dropped++;
    }
    this.compact();
  }

  private compact(): void {
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * Stops scheduling and every user; resolves when they have finished. Iterations still waiting never
   * started: they are dropped. `keepConnections`: see QuickUser.stop.
   */
  stop(keepConnections = false): Promise<unknown> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.periodMs = Infinity;
    this.counts.dropped += this.queued;
    this.waiting = [];
    this.head = 0;
    for (const u of this.users) u.stop(keepConnections);
    // Iterations under way finish their current request, as closed-model users do.
    return Promise.allSettled([...this.running, ...this.users.map((u) => u.done)]);
  }
}
