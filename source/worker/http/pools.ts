// One undici Pool per origin per worker, shared by the worker's virtual users (keep-alive; a new
// connection opens only when every open one is busy, so N busy users hold about N connections).
import type {buildConnector, Pool} from 'undici';
import {H1Pool} from './h1-pool.js';
import type {ConnectTimes} from './connect-times.js';
import type {HostGuard} from './host-guard.js';
import {skipContinue} from './interim.js';
import {undici} from './undici.js';

/** Connections a worker opens to one origin at most (scenario mode; quick mode's users own theirs). */
export const MAX_CONNECTIONS_PER_ORIGIN = 1024;

export class Pools {
  private readonly pools = new Map<string, Pool>();
  private readonly h1Pools = new Map<string, H1Pool | undefined>();

  /**
   * `connectTimeoutMs` bounds DNS lookup + TCP connect + TLS handshake. It must not exceed the request
   * timeout: undici defers a request's abort signal until the request has a connection, so a target that
   * accepts slowly (or a resolver that hangs) would otherwise outlast `--timeout`. `guard`: every connection,
   * the h1 client's and undici's, is opened through it (host-guard.ts); none when the run was given --yes.
   */
  constructor(
    private readonly insecure: boolean,
    private readonly connectTimeoutMs = 10_000,
    private readonly h1?: {readonly maxBodyBytes: number},
    private readonly connects?: ConnectTimes,
    readonly guard?: HostGuard,
  ) {}

  /** Scenario mode's cheaper path to a plain http:// origin; undefined for https (or when `h1` was not asked for). */
  h1Pool(origin: string): H1Pool | undefined {
    if (!this.h1) return undefined;
    let pool = this.h1Pools.get(origin);
    if (pool === undefined && !this.h1Pools.has(origin)) {
      pool = H1Pool.for(origin, MAX_CONNECTIONS_PER_ORIGIN, this.h1.maxBodyBytes, this.connects, this.guard);
      this.h1Pools.set(origin, pool);
    }
    return pool;
  }

  /** undici's pool for the origin (undici must be loaded: see undici.ts). */
  get(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new (undici().Pool)(origin, {
        // Bounded: thousands of users with think time ramped in bursts otherwise end up holding one
        // connection each (20,000 users: 20,000 sockets, the ephemeral ports run out and connect() eats
        // the CPU; bench/ measures it). Past this, requests wait in the pool for a free connection.
        connections: MAX_CONNECTIONS_PER_ORIGIN,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        connect: this.connector(),
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  /**
   * undici's own connector, timed: its connections are counted with the h1 client's. (A request's latency
   * there still includes its connection's opening: undici does not say which request waited for which.)
   * Through the guard (an address literal is checked first, a name as it resolves), and read without the
   * unsolicited `100 Continue` heads undici would fail on (interim.ts).
   */
  private connector(): buildConnector.connector {
    const {connects, guard} = this;
    const base = undici().buildConnector({
      rejectUnauthorized: !this.insecure,
      timeout: this.connectTimeoutMs,
      ...(guard ? {lookup: guard.lookup} : {}),
    });
    return (options, callback) => {
      const blocked = guard?.literal(options.hostname);
      if (blocked) {
        queueMicrotask(() => callback(blocked, null));
        return;
      }
      const opening = performance.now();
      base(options, (...outcome) => {
        if (outcome[0] === null) {
          connects?.record(performance.now() - opening);
          skipContinue(outcome[1]);
        }
        callback(...outcome);
      });
    };
  }

  async close(): Promise<void> {
    for (const pool of this.h1Pools.values()) pool?.close();
    this.h1Pools.clear();
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((p) => p.destroy().catch(() => {})));
  }
}
