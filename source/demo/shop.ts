// brink's built-in demo target: a small web shop (HTML pages, a form login with CSRF, a JSON API with
// expiring bearer tokens, uploads, slow reports) that behaves like a real app under stress: a fixed pool
// of handlers before a bounded queue (shop/capacity/handler-pool.ts), and a checkout that takes one global
// lock while holding its handler (shop/capacity/order-lock.ts), so checkout saturates first and then drags
// the rest down with it. When the load drops, the queue drains and latency comes back by itself.
//
// With the defaults (8 handlers, 64 queued, pages 15–120 ms, checkout lock 150–250 ms) the demo
// scenario's mix runs clean at 20 users (~20 req/s); checkout's p95 doubles by ~60 users and passes
// 1 s by ~100; every page queues from ~120–140 users (~130 req/s, the handlers' ceiling); 503s
// start around 160–200 users.
//
// This file: one request's life (ShopApp) and the shop as an http.Server. Under shop/: router.ts and
// routes/ (a file per area), counters.ts (what tests and `brink demo` read), state.ts (sessions, carts,
// imports), options.ts (knobs and defaults).
import http from 'node:http';
import {Catalog} from './catalog.js';
import {TokenIssuer} from './tokens.js';
import {HandlerPool} from './shop/capacity/handler-pool.js';
import {OrderLock} from './shop/capacity/order-lock.js';
import {work, type Cost} from './shop/capacity/service-time.js';
import {Counters, type ShopStats} from './shop/counters.js';
import {settingsFrom, type Settings, type ShopOptions} from './shop/options.js';
import type {ShopParts} from './shop/parts.js';
import {json, notFound, writeReply, type Reply} from './shop/reply.js';
import {parseCookies, readBody} from './shop/request.js';
import {routePath, type Ctx, type Router} from './shop/router.js';
import {allRoutes} from './shop/routes/all-routes.js';
import {ShopState} from './shop/state.js';

export type {ShopOptions} from './shop/options.js';
export type {ShopStats} from './shop/counters.js';

export interface Shop {
  readonly server: http.Server;
  stats(): ShopStats;
  /** Zeroes the counters (not the state: sessions, carts and imports stay). */
  resetStats(): void;
  /** Stops pending work: requests still being served are cut. The server itself is closed by the caller. */
  dispose(): void;
}

export interface StartShopOptions extends ShopOptions {
  /** Default 0: a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
}

export interface RunningShop {
  readonly url: string;
  readonly port: number;
  stats(): ShopStats;
  resetStats(): void;
  close(): Promise<void>;
}

const MAX_BODY = 20 << 20;

class ShopApp implements ShopParts {
  readonly settings: Settings;
  readonly catalog: Catalog;
  readonly tokens = new TokenIssuer();
  readonly state = new ShopState();
  readonly counters = new Counters();
  readonly pool: HandlerPool;
  readonly orderLock: OrderLock;
  private readonly router: Router;
  private readonly abort = new AbortController();

  constructor(options: ShopOptions) {
    this.settings = settingsFrom(options);
    this.catalog = new Catalog(this.settings.products);
    this.pool = new HandlerPool(this.settings, this.counters, (res, name, reply) => this.send(res, name, reply));
    this.orderLock = new OrderLock(this.counters);
    this.router = allRoutes(this);
  }

  stats(): ShopStats {
    const {pool, settings} = this;
    return this.counters.stats({busyHandlers: pool.busy, handlers: settings.handlers, queued: pool.queued, queueLimit: settings.queue});
  }

  /** Zeroes the counters (not the state: sessions, carts and imports stay). */
  resetStats(): void {
    this.counters.reset(this.pool.queued);
  }

  /** Cuts the requests being served and turns the queued ones away. */
  dispose(): void {
    this.abort.abort();
    this.pool.dispose();
  }

  readonly onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    void this.serve(req, res);
  };

  work(cost: Cost): Promise<void> {
    return work(cost, this.settings, this.abort.signal);
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://shop.invalid');
    const path = routePath(url);
    const {route, params, name} = this.router.match(req.method ?? 'GET', path);
    this.counters.arrived(name);
    res.once('close', () => this.counters.left());

    let body: Buffer;
    try {
      body = await readBody(req, MAX_BODY);
    } catch (error) {
      if ((error as {tooLarge?: boolean}).tooLarge) this.send(res, name, json(413, {error: 'payload_too_large'}, {connection: 'close'}));
      else res.destroy();
      return;
    }
    if (!route) {
      this.send(res, name, notFound(path));
      return;
    }
    const ctx: Ctx = {req, url, params, body, cookies: parseCookies(req.headers.cookie)};
    if (route.bypass) {
      this.send(res, name, await route.handle(ctx));
      return;
    }
    if (!(await this.pool.admit(res, name))) return;
    try {
      await this.work(route.cost);
      const reply = await route.handle(ctx);
      this.send(res, name, reply);
    } catch (error) {
      if (this.abort.signal.aborted) res.destroy();
      else this.send(res, name, json(500, {error: 'internal_error', detail: String((error as Error)?.message ?? error)}));
    } finally {
      this.pool.release();
    }
  }

  /** Every answer goes through here, so it is counted by route name and status. */
  private send(res: http.ServerResponse, name: string, reply: Reply): void {
    this.counters.answered(name, reply.status);
    writeReply(res, reply);
  }
}

/** The shop as an http.Server (not listening yet) with its counters. */
export function createShop(options: ShopOptions = {}): Shop {
  const app = new ShopApp(options);
  const server = http.createServer({keepAlive: true}, app.onRequest);
  server.keepAliveTimeout = 10_000;
  return {
    server,
    stats: () => app.stats(),
    resetStats: () => app.resetStats(),
    dispose: () => app.dispose(),
  };
}

/** Starts the shop on 127.0.0.1 and a free port (unless told otherwise) in this thread. */
export async function startShop(options: StartShopOptions = {}): Promise<RunningShop> {
  const {port = 0, host = '127.0.0.1', ...shopOptions} = options;
  const shop = createShop(shopOptions);
  const {server} = shop;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${actualPort}`,
    port: actualPort,
    stats: shop.stats,
    resetStats: shop.resetStats,
    close() {
      closed ??= new Promise<void>((resolve) => {
        shop.dispose();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
