// What the shop counts: requests on arrival and answers by status, per route name, plus the high-water marks
// of its capacity model. Tests and `brink demo` compare these with what brink recorded.

export interface ShopStats {
  /** Requests the shop received per route name (e.g. `GET /products/:id`), counted on arrival. */
  readonly requests: Readonly<Record<string, number>>;
  /** Responses per route name and status code. */
  readonly statuses: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** All requests received, WebSocket handshakes and messages and event streams included (a stream's later events not). */
  readonly total: number;
  /** Requests received and not yet answered (queued ones included), now and at most. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Handlers busy now, out of `handlers`. */
  readonly busyHandlers: number;
  readonly handlers: number;
  /** Requests waiting for a handler, now and at most, out of `queueLimit`. */
  readonly queued: number;
  readonly maxQueued: number;
  readonly queueLimit: number;
  /** 503s answered because the queue was full. */
  readonly shed: number;
  /** 504s answered because a request waited longer than `queueTimeoutMs`. */
  readonly timedOut: number;
  readonly ordersCreated: number;
  /** Checkouts holding the order lock at the same time, at most (1 unless the lock is broken). */
  readonly maxOrderConcurrency: number;
}

/** The handler pool's gauges, read when the stats are taken. */
export type CapacityGauges = Pick<ShopStats, 'busyHandlers' | 'handlers' | 'queued' | 'queueLimit'>;

/** The counts since the last reset; the handler pool and the order lock add to them too. */
export class Counts {
  requests: Record<string, number> = {};
  statuses: Record<string, Record<string, number>> = {};
  total = 0;
  maxInFlight = 0;
  maxQueued = 0;
  shed = 0;
  timedOut = 0;
  ordersCreated = 0;
  maxOrderConcurrency = 0;
}

export class Counters {
  /** Replaced on reset: read it through this field each time, never keep it. */
  now = new Counts();
  /** Live, so never reset: requests received and not yet answered. */
  inFlight = 0;

  arrived(name: string): void {
    const c = this.now;
    c.requests[name] = (c.requests[name] ?? 0) + 1;
    c.total++;
    this.inFlight++;
    if (this.inFlight > c.maxInFlight) c.maxInFlight = this.inFlight;
  }

  /**
   * A handshake, a message on a socket, a stream: counted as a request is, but nothing waits in flight for it.
   * `request: false` for what brink does not count as a request either (an event stream's later events, its gaps).
   */
  counted(name: string, request = true): void {
    const c = this.now;
    c.requests[name] = (c.requests[name] ?? 0) + 1;
    if (request) c.total++;
  }

  /** The request's connection closed: answered, cut, or given up by the client. */
  left(): void {
    this.inFlight--;
  }

  answered(name: string, status: number): void {
    const byStatus = (this.now.statuses[name] ??= {});
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  }

  /** Zeroes the counts; the high-water marks start from what is in flight and queued now. */
  reset(queued: number): void {
    this.now = new Counts();
    this.now.maxInFlight = this.inFlight;
    this.now.maxQueued = queued;
  }

  stats(gauges: CapacityGauges): ShopStats {
    const c = this.now;
    return {
      requests: {...c.requests},
      statuses: Object.fromEntries(Object.entries(c.statuses).map(([k, v]) => [k, {...v}])),
      total: c.total,
      inFlight: this.inFlight,
      maxInFlight: c.maxInFlight,
      busyHandlers: gauges.busyHandlers,
      handlers: gauges.handlers,
      queued: gauges.queued,
      maxQueued: c.maxQueued,
      queueLimit: gauges.queueLimit,
      shed: c.shed,
      timedOut: c.timedOut,
      ordersCreated: c.ordersCreated,
      maxOrderConcurrency: c.maxOrderConcurrency,
    };
  }
}
