// One undici Pool per origin per worker, shared by the worker's virtual users (keep-alive; a new
// connection opens only when every open one is busy, so N busy users hold about N connections).
import {Pool} from 'undici';

const origins = new WeakMap<Pool, string>();

/** Connections a worker opens to one origin at most (scenario mode; quick mode's users own theirs). */
export const MAX_CONNECTIONS_PER_ORIGIN = 1024;

/** The origin a pool of ours was made for (quick mode's lean path connects to it itself). */
export function originOf(pool: Pool): string | undefined {
  return origins.get(pool);
}

export class Pools {
  private readonly pools = new Map<string, Pool>();

  /**
   * `connectTimeoutMs` bounds DNS lookup + TCP connect + TLS handshake. It must not exceed the request
   * timeout: undici defers a request's abort signal until the request has a connection, so a target that
   * accepts slowly (or a resolver that hangs) would otherwise outlast `--timeout`.
   */
  constructor(private readonly insecure: boolean, private readonly connectTimeoutMs = 10_000) {}

  get(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        // Bounded: thousands of users with think time ramped in bursts otherwise end up holding one
        // connection each (20,000 users: 20,000 sockets, the ephemeral ports run out and connect() eats
        // the CPU; bench/ measures it). Past this, requests wait in the pool for a free connection.
        connections: MAX_CONNECTIONS_PER_ORIGIN,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        connect: {rejectUnauthorized: !this.insecure, timeout: this.connectTimeoutMs},
      });
      this.pools.set(origin, pool);
      origins.set(pool, origin);
    }
    return pool;
  }

  async close(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((p) => p.destroy().catch(() => {})));
  }
}
