// One undici Pool per origin per worker, shared by the worker's virtual users (keep-alive; a new
// connection opens only when every open one is busy, so N busy users hold about N connections).
// With --http2 a connection that negotiates h2 carries up to H2_STREAMS requests at once, so a few connections
// carry all the users; http:// origins then speak h2 by prior knowledge (h2c, undici's `useH2c`).
import type {buildConnector, Client, Pool} from 'undici';
import {H2Dispatcher, type Requester} from './h2-dispatcher.js';
import type {H2Watch} from './h2-watch.js';
import {H1Pool} from './h1-pool.js';
import type {ConnectTimes} from './connect-times.js';
import type {HostGuard} from './host-guard.js';
import {skipContinue} from './interim.js';
import {undici} from './undici.js';

/** Connections a worker opens to one origin at most (scenario mode; quick mode's users own theirs). */
export const MAX_CONNECTIONS_PER_ORIGIN = 1024;

/** Requests one h2 connection carries at once (undici's default cap on a session's streams): past it, another opens. */
export const H2_STREAMS = 100;

export class Pools {
  private readonly pools = new Map<string, Pool>();
  private readonly h2Dispatchers = new Map<string, H2Dispatcher>();
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
    /** --http2: ALPN offers h2 (h2c over http://), each request is watched and sent again when never processed. */
    private readonly h2?: H2Watch,
  ) {}

  /** Whether requests go over h2 where the server speaks it (--http2): then all go through undici. */
  get http2(): boolean {
    return this.h2 !== undefined;
  }

  /** Scenario mode's cheaper path to a plain http:// origin; undefined for https (or when `h1` was not asked for, or with --http2). */
  h1Pool(origin: string): H1Pool | undefined {
    if (!this.h1 || this.h2) return undefined;
    let pool = this.h1Pools.get(origin);
    if (pool === undefined && !this.h1Pools.has(origin)) {
      pool = H1Pool.for(origin, MAX_CONNECTIONS_PER_ORIGIN, this.h1.maxBodyBytes, this.connects, this.guard);
      this.h1Pools.set(origin, pool);
    }
    return pool;
  }

  /** What sends a request to the origin: undici's pool, or watched clients with --http2 (undici must be loaded: see undici.ts). */
  get(origin: string): Requester {
    return this.h2 ? this.h2Dispatcher(origin, this.h2) : this.pool(origin);
  }

  private pool(origin: string): Pool {
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
   * --http2: clients that each take H2_STREAMS requests at once over h2, one at a time over HTTP/1.1 (a server
   * that answers ALPN with http/1.1 must not be sent pipelined requests): a client's pipelining is set as its
   * connection comes up, before undici writes on it.
   */
  private h2Dispatcher(origin: string, watch: H2Watch): H2Dispatcher {
    let dispatcher = this.h2Dispatchers.get(origin);
    if (!dispatcher) {
      const make = (): Client => {
        const client: Client = new (undici().Client)(origin, {
          pipelining: H2_STREAMS,
          allowH2: true,
          maxConcurrentStreams: H2_STREAMS,
          keepAliveTimeout: 30_000,
          connect: this.connector({
            before: (socket) => {
              client.pipelining = (socket as {alpnProtocol?: unknown}).alpnProtocol === 'h2' ? H2_STREAMS : 1;
            },
            after: (socket) => watch.adopt(socket, () => dispatcher?.retire(client)),
          }),
        });
        return client;
      };
      dispatcher = new H2Dispatcher(make, watch, MAX_CONNECTIONS_PER_ORIGIN, origin.startsWith('http:'));
      this.h2Dispatchers.set(origin, dispatcher);
    }
    return dispatcher;
  }

  /**
   * undici's own connector, timed: its connections are counted with the h1 client's. (A request's latency
   * there still includes its connection's opening: undici does not say which request waited for which.)
   * Through the guard (an address literal is checked first, a name as it resolves), and read without the
   * unsolicited `100 Continue` heads undici would fail on (interim.ts).
   */
  private connector(taken?: {before(socket: object): void; after(socket: object): void}): buildConnector.connector {
    const {connects, guard} = this;
    const base = undici().buildConnector({
      rejectUnauthorized: !this.insecure,
      timeout: this.connectTimeoutMs,
      ...(guard ? {lookup: guard.lookup} : {}),
      // h2 by ALPN over TLS; over plain TCP, h2 by prior knowledge (undici's documented useH2c, not in its types).
      ...(this.h2 ? ({allowH2: true, useH2c: true} as object) : {}),
    });
    return (options, callback) => {
      const blocked = guard?.literal(options.hostname);
      if (blocked) {
        queueMicrotask(() => callback(blocked, null));
        return;
      }
      const opening = performance.now();
      base(options, (...outcome) => {
        const socket = outcome[0] === null ? outcome[1] : undefined;
        if (socket) {
          connects?.record(performance.now() - opening);
          // An h2 connection has no 1xx heads in its bytes to drop (and is read by http2's native side).
          if ((socket as {alpnProtocol?: unknown}).alpnProtocol !== 'h2') skipContinue(socket);
          taken?.before(socket);
        }
        callback(...outcome);
        if (socket) taken?.after(socket);
      });
    };
  }

  async close(): Promise<void> {
    for (const pool of this.h1Pools.values()) pool?.close();
    this.h1Pools.clear();
    const all = [...this.pools.values()];
    this.pools.clear();
    const h2 = [...this.h2Dispatchers.values()];
    this.h2Dispatchers.clear();
    this.h2?.close();
    await Promise.all([...all.map((p) => p.destroy().catch(() => {})), ...h2.map((d) => d.destroy())]);
  }
}
