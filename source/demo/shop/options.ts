// The shop's knobs and their defaults. The defaults make `brink demo`'s scenario mix run clean at 20 users and
// break somewhere between 100 and 200 (see shop.ts).

export interface ShopOptions {
  /** Requests served at the same time (default 8). */
  readonly handlers?: number;
  /** Requests that may wait for a handler; beyond it the shop answers 503 at once (default 64). */
  readonly queue?: number;
  /** A request that waited longer than this for a handler gets 504 (default 10 000 ms). */
  readonly queueTimeoutMs?: number;
  /** Multiplies every service time, e.g. 0.1 for fast tests or 2 for a weaker server (default 1). */
  readonly serviceScale?: number;
  /** Random spread of service times, 0..1: 0.25 means ±25 %, plus a rare slow request (default 0.25). */
  readonly jitter?: number;
  /**
   * How long one checkout holds the global order lock, min and max in ms (default [150, 250]: stock is
   * reserved and the payment provider called inside the transaction, the classic slow write path).
   */
  readonly orderLockMs?: readonly [number, number];
  /** Service time of `GET /api/reports/orders` in ms (default 300). */
  readonly reportMs?: number;
  /** Life of an access token (default 30 000 ms); then the API answers 401. */
  readonly tokenTtlMs?: number;
  /** Life of a refresh token (default 1 hour). */
  readonly refreshTtlMs?: number;
  /** How long a CSV import takes to reach `done` (default 2000 ms). */
  readonly importMs?: number;
  /** Accounts `user1`..`userN` with passwords `pass1`..`passN` (default 1000). */
  readonly accounts?: number;
  /** Products 1..N (default 500). */
  readonly products?: number;
}

const DEFAULTS = {
  handlers: 8,
  queue: 64,
  queueTimeoutMs: 10_000,
  serviceScale: 1,
  jitter: 0.25,
  orderLockMs: [150, 250] as readonly [number, number],
  reportMs: 300,
  tokenTtlMs: 30_000,
  refreshTtlMs: 3_600_000,
  importMs: 2000,
  accounts: 1000,
  products: 500,
};

/** Every option, with the defaults filled in. */
export type Settings = typeof DEFAULTS;

/** The options over the defaults (an `undefined` option keeps its default); throws on an unusable capacity. */
export function settingsFrom(options: ShopOptions): Settings {
  const s = {...DEFAULTS};
  for (const key of Object.keys(DEFAULTS) as Array<keyof Settings>) {
    if (options[key] !== undefined) (s as Record<string, unknown>)[key] = options[key];
  }
  if (!(s.handlers >= 1) || !(s.queue >= 0)) throw new RangeError('shop: handlers must be >= 1 and queue >= 0');
  return s;
}
