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
// This file is the public door: the shop as an http.Server, or started on a port. Under shop/: app.ts
// (one request's life), router.ts and routes/ (a file per area), counters.ts (what tests and `brink demo`
// read), state.ts (sessions, carts, imports), options.ts (knobs and defaults).
import http from 'node:http';
import {ShopApp} from './shop/app.js';
import type {ShopStats} from './shop/counters.js';
import type {ShopOptions} from './shop/options.js';

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

/** The shop as an http.Server (not listening yet) with its counters. */
export function createShop(options: ShopOptions = {}): Shop {
  const app = new ShopApp(options);
  const server = http.createServer({keepAlive: true}, app.onRequest);
  server.on('upgrade', app.onUpgrade);
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
