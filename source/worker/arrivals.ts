// The open model: iterations start on a fixed schedule whatever the target does (wrk2's constant
// throughput). Each is handed to an idle virtual user; with none idle and the cap reached, the
// iteration is dropped and counted. Latency counts from the due time, so a stalled target shows.
import {performance} from 'node:perf_hooks';

export interface OpenUser {
  iterate(dueAt: number): Promise<void>;
  stop(keepConnection?: boolean): void;
  readonly done: Promise<void>;
}

export class Arrivals {
  private readonly idle: OpenUser[] = [];
  readonly users: OpenUser[] = [];
  private periodMs = Infinity;
  private nextDue = 0;
  private timer: NodeJS.Timeout | undefined;
  private maxUsers = 0;
  busy = 0;
  /** Iterations that could not start: every user busy and the cap reached. Reset by `takeDropped`. */
  private dropped = 0;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly create: () => OpenUser) {}

  /** `perSecond` iterations a second on this worker, with at most `maxUsers` users. */
  setRate(perSecond: number, maxUsers: number): void {
    this.maxUsers = maxUsers;
    const wasIdle = this.periodMs === Infinity;
    this.periodMs = perSecond > 0 ? 1000 / perSecond : Infinity;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.periodMs === Infinity) return;
    // A new rate takes effect from now; an old backlog is not replayed at the new pace.
    if (wasIdle || this.nextDue < performance.now() - 1000) this.nextDue = performance.now();
    this.fire();
  }

  takeDropped(): number {
    const n = this.dropped;
    this.dropped = 0;
    return n;
  }

  private fire(): void {
    const now = performance.now();
    while (this.nextDue <= now) {
      this.launch(this.nextDue);
      this.nextDue += this.periodMs;
    }
    this.timer = setTimeout(() => this.fire(), Math.max(0, this.nextDue - performance.now()));
  }

  private launch(dueAt: number): void {
    let user = this.idle.pop();
    if (!user) {
      if (this.users.length >= this.maxUsers) {
        this.dropped++;
        return;
      }
      user = this.create();
      this.users.push(user);
    }
    const u = user;
    this.busy++;
    const running = u.iterate(dueAt).finally(() => {
      this.busy--;
      this.idle.push(u);
      this.running.delete(running);
    });
    this.running.add(running);
  }

  /** Stops scheduling and every user; resolves when they have finished. `keepConnections`: see QuickUser.stop. */
  stop(keepConnections = false): Promise<unknown> {
    clearTimeout(this.timer);
    this.periodMs = Infinity;
    for (const u of this.users) u.stop(keepConnections);
    // Iterations under way finish their current request, as closed-model users do.
    return Promise.allSettled([...this.running, ...this.users.map((u) => u.done)]);
  }
}
