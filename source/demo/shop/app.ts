// One request's life in the shop: route it, count it, read its body, take a handler (or queue, or be shed),
// hold it for the route's service time, answer, give the handler back. createShop() (shop.ts) puts this
// behind node:http.
import type http from 'node:http';
import type {Duplex} from 'node:stream';
import {Catalog} from '../catalog.js';
import {TokenIssuer} from '../tokens.js';
import {HandlerPool} from './capacity/handler-pool.js';
import {OrderLock} from './capacity/order-lock.js';
import {work, type Cost} from './capacity/service-time.js';
import {Counters, type ShopStats} from './counters.js';
import {settingsFrom, type Settings, type ShopOptions} from './options.js';
import type {ShopParts} from './parts.js';
import {json, notFound, writeReply, type Reply} from './reply.js';
import {parseCookies, readBody} from './request.js';
import {routePath, type Ctx, type Router} from './router.js';
import {allRoutes} from './routes/all-routes.js';
import {ShopState} from './state.js';
import {Live} from './live.js';

const MAX_BODY = 20 << 20;

export class ShopApp implements ShopParts {
  readonly settings: Settings;
  readonly catalog: Catalog;
  readonly tokens = new TokenIssuer();
  readonly state = new ShopState();
  readonly counters = new Counters();
  readonly pool: HandlerPool;
  readonly orderLock: OrderLock;
  private readonly router: Router;
  private readonly abort = new AbortController();
  /** The support chat (WebSocket) and the activity feed (server-sent events). */
  private readonly live: Live;

  constructor(options: ShopOptions) {
    this.settings = settingsFrom(options);
    this.catalog = new Catalog(this.settings.products);
    this.pool = new HandlerPool(this.settings, this.counters, (res, name, reply) => this.send(res, name, reply));
    this.orderLock = new OrderLock(this.counters);
    this.router = allRoutes(this);
    this.live = new Live(this);
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
    this.live.dispose();
  }

  readonly onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    void this.serve(req, res);
  };

  /** The http.Server's `upgrade`: the WebSocket chat. */
  readonly onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => this.live.onUpgrade(req, socket, head);

  work(cost: Cost): Promise<void> {
    return work(cost, this.settings, this.abort.signal);
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://shop.invalid');
    const path = routePath(url);
    // The activity feed streams for as long as the client stays: counted and served apart from the routes.
    if (req.method === 'GET' && this.live.feed(path, res)) return;
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
