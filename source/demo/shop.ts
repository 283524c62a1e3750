// brink's built-in demo target: a small web shop (HTML pages, a form login with CSRF, a JSON API with
// expiring bearer tokens, uploads, slow reports) that behaves like a real app under stress.
//
// Capacity model: a fixed pool of request handlers (like Gunicorn workers) in front of a bounded
// queue (like a listen backlog). A request holds a handler for its route's service time. When every
// handler is busy it waits in the queue, so latency climbs; when the queue is full it is shed at once
// with 503; a request that waited longer than `queueTimeoutMs` gets 504. Checkout (`POST /api/orders`)
// also takes one global lock (a row lock on the stock table) while holding its handler, so it
// saturates before the rest and then drags the rest down with it. Nothing is leaked under overload:
// when the load drops, the queue drains and latency comes back by itself.
//
// With the defaults (8 handlers, 64 queued, pages 15–120 ms, checkout lock 150–250 ms) the demo
// scenario's mix runs clean at 20 users (~20 req/s); checkout's p95 doubles by ~60 users and passes
// 1 s by ~100; every page queues from ~120–140 users (~130 req/s, the handlers' ceiling); 503s
// start around 160–200 users.
import http from 'node:http';
import {Catalog, checkCredentials, type Product} from './catalog.js';
import {csrfMatches, isCsrfSecret, maskCsrfSecret, newCsrfSecret, randomId, TokenIssuer, type TokenClaims} from './tokens.js';
import {multipartBoundary, parseMultipart, type Part} from './multipart.js';
import * as pages from './pages.js';
import {badJson, html, json, notFound, redirect, writeReply, type Reply} from './shop/reply.js';
import {intParam, isObject, parseCookies, parseJson, readBody, safeNext} from './shop/request.js';
import {settingsFrom, type Settings, type ShopOptions} from './shop/options.js';
import {Counters, type ShopStats} from './shop/counters.js';
import {HandlerPool} from './shop/capacity/handler-pool.js';
import {OrderLock} from './shop/capacity/order-lock.js';
import {work, type Cost} from './shop/capacity/service-time.js';

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
const MAX_AVATAR = 5 << 20;
const MAX_SESSIONS = 200_000;
const MAX_CARTS = 100_000;
const MAX_IMPORTS = 20_000;
const USER_IDS = 1000;

interface Ctx {
  readonly req: http.IncomingMessage;
  readonly url: URL;
  readonly params: ReadonlyArray<string>;
  readonly body: Buffer;
  readonly cookies: Readonly<Record<string, string>>;
}

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly name: string;
  /** Service time in ms before scaling and jitter. */
  readonly cost: Cost;
  /** Served without a handler (static files a proxy would serve). */
  readonly bypass?: boolean;
  readonly handle: (ctx: Ctx) => Reply | Promise<Reply>;
}

interface Session {
  readonly user: string;
}

interface ImportJob {
  readonly id: string;
  readonly owner: string;
  readonly filename: string;
  readonly rows: number;
  readonly createdAt: number;
}

class ShopApp {
  readonly settings: Settings;
  private readonly catalog: Catalog;
  private readonly tokens = new TokenIssuer();
  private readonly routes: Route[];
  private readonly counters = new Counters();
  private readonly pool: HandlerPool;
  private readonly orderLock: OrderLock;
  private readonly abort = new AbortController();
  private nextOrderId = 10_001;
  private readonly sessions = new Map<string, Session>();
  private readonly profiles = new Map<string, pages.Profile>();
  private readonly orderCounts = new Map<string, number>();
  private readonly carts = new Map<string, Map<number, number>>();
  private readonly imports = new Map<string, ImportJob>();

  constructor(options: ShopOptions) {
    const s = settingsFrom(options);
    this.settings = s;
    this.catalog = new Catalog(s.products);
    this.pool = new HandlerPool(s, this.counters, (res, name, reply) => this.send(res, name, reply));
    this.orderLock = new OrderLock(this.counters);
    this.routes = this.defineRoutes();
  }

  stats(): ShopStats {
    const {pool, settings} = this;
    return this.counters.stats({busyHandlers: pool.busy, handlers: settings.handlers, queued: pool.queued, queueLimit: settings.queue});
  }

  resetStats(): void {
    this.counters.reset(this.pool.queued);
  }

  dispose(): void {
    this.abort.abort();
    this.pool.dispose();
  }

  // ---- request life cycle -------------------------------------------------------------------------

  readonly onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    void this.serve(req, res);
  };

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://shop.invalid');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const method = req.method ?? 'GET';
    let route: Route | undefined;
    let params: string[] = [];
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(path);
      if (m) { route = r; params = m.slice(1).map(decodeURIComponent); break; }
    }
    const name = route?.name ?? `${method} (unmatched)`;
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

  /** Holds the handler for a service time: scaled, with jitter and a rare slow request. */
  private work(cost: Cost): Promise<void> {
    return work(cost, this.settings, this.abort.signal);
  }

  private send(res: http.ServerResponse, name: string, reply: Reply): void {
    this.counters.answered(name, reply.status);
    writeReply(res, reply);
  }

  // ---- shared helpers -----------------------------------------------------------------------------

  private session(ctx: Ctx): Session | undefined {
    const id = ctx.cookies.sessionid;
    return id ? this.sessions.get(id) : undefined;
  }

  private profile(user: string): pages.Profile {
    let p = this.profiles.get(user);
    if (!p) {
      p = {displayName: user.replace(/^user/, 'User '), email: `${user}@example.com`, timezone: 'UTC'};
      this.profiles.set(user, p);
    }
    return p;
  }

  /** The CSRF secret of the visitor's cookie, or a new one with the Set-Cookie that gives it. */
  private csrf(ctx: Ctx): {secret: string; setCookie?: string} {
    const secret = ctx.cookies.csrftoken;
    if (isCsrfSecret(secret)) return {secret};
    const fresh = newCsrfSecret();
    return {secret: fresh, setCookie: csrfCookie(fresh)};
  }

  private bearer(ctx: Ctx): TokenClaims | Reply {
    const header = ctx.req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return json(401, {error: 'missing_token', detail: 'send Authorization: Bearer <access_token>'}, {'www-authenticate': 'Bearer realm="shop"'});
    const check = this.tokens.verify(match[1], 'access');
    if (!check.ok) {
      const detail = check.error === 'token_expired' ? 'the access token expired: refresh it' : 'the access token is not valid';
      return json(401, {error: check.error, detail}, {'www-authenticate': `Bearer realm="shop", error="invalid_token", error_description="${detail}"`});
    }
    return check.claims;
  }

  private tokenPair(user: string, sid: string): Record<string, unknown> {
    const {tokenTtlMs, refreshTtlMs} = this.settings;
    return {
      access_token: this.tokens.issue(user, sid, 'access', tokenTtlMs),
      refresh_token: this.tokens.issue(user, sid, 'refresh', refreshTtlMs),
      token_type: 'Bearer',
      expires_in: tokenTtlMs / 1000,
    };
  }

  private cart(sid: string): Map<number, number> {
    let cart = this.carts.get(sid);
    if (!cart) {
      cart = new Map();
      this.carts.set(sid, cart);
      evictOldest(this.carts, MAX_CARTS);
    }
    return cart;
  }

  private cartView(cart: Map<number, number>): Record<string, unknown> {
    const items = [...cart].map(([id, quantity]) => {
      const p = this.catalog.get(id)!;
      return {product_id: id, name: p.name, quantity, unit_price: p.price, line_total: round2(p.price * quantity)};
    });
    return {items, item_count: items.reduce((n, i) => n + i.quantity, 0), total: round2(items.reduce((n, i) => n + i.line_total, 0))};
  }

  private importStatus(job: ImportJob): Record<string, unknown> {
    const elapsed = Date.now() - job.createdAt;
    const total = this.settings.importMs;
    const pending = total * 0.15;
    const status = elapsed < pending ? 'pending' : elapsed < total ? 'processing' : 'done';
    const progress = status === 'pending' ? 0 : status === 'done' ? 1 : Math.min(0.99, (elapsed - pending) / (total - pending));
    return {id: job.id, status, filename: job.filename, rows: job.rows, processed_rows: Math.floor(job.rows * progress), progress: Math.round(progress * 100) / 100};
  }

  // ---- routes -------------------------------------------------------------------------------------

  private defineRoutes(): Route[] {
    const routes: Route[] = [];
    const route = (method: string, path: string, cost: Route['cost'], handle: Route['handle'], extra: Partial<Route> = {}) => {
      const pattern = new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[a-z_]+/g, '([^/]+)')}$`);
      routes.push({method, pattern, name: `${method} ${path}`, cost, handle, ...extra});
    };
    const {catalog} = this;

    // Public HTML pages.
    route('GET', '/', 40, () => html(200, pages.homePage(catalog.products.slice(0, 12))));
    route('GET', '/pricing', 15, () => html(200, pages.pricingPage()));
    route('GET', '/products', 60, (ctx) => {
      const category = ctx.url.searchParams.get('category') ?? undefined;
      const list = category ? catalog.products.filter((p) => p.category === category) : catalog.products;
      const perPage = 24;
      const pagesTotal = Math.max(1, Math.ceil(list.length / perPage));
      const page = intParam(ctx.url, 'page', 1);
      if (page === undefined || page < 1) return html(400, pages.messagePage('Bad request', 'page must be a positive integer'));
      return html(page > pagesTotal ? 404 : 200, pages.productListPage(list.slice((page - 1) * perPage, page * perPage), page, pagesTotal, category));
    });
    route('GET', '/products/:id', 45, (ctx) => {
      const p = catalog.get(Number(ctx.params[0]));
      return p ? html(200, pages.productPage(p)) : notFound(ctx.url.pathname);
    });
    route('GET', '/search', 90, (ctx) => {
      const q = (ctx.url.searchParams.get('q') ?? '').slice(0, 200);
      return html(200, pages.searchPage(q, catalog.search(q)));
    });
    route('GET', '/static/shop.css', 0, () => ({status: 200, headers: {'content-type': 'text/css', 'cache-control': 'max-age=3600'}, body: 'body{font-family:system-ui;margin:0 auto;max-width:60rem}\n'}), {bypass: true});

    // Form login, Django style.
    route('GET', '/login', 15, (ctx) => {
      const {secret, setCookie} = this.csrf(ctx);
      const next = safeNext(ctx.url.searchParams.get('next'));
      return html(200, pages.loginPage(maskCsrfSecret(secret), undefined, next), setCookie ? {'set-cookie': setCookie} : {});
    });
    route('POST', '/login', 120, (ctx) => {
      const form = new URLSearchParams(ctx.body.toString('utf8'));
      if (!csrfMatches(form.get('csrfmiddlewaretoken') ?? undefined, ctx.cookies.csrftoken)) return csrfFailure(ctx);
      const user = checkCredentials(form.get('username') ?? '', form.get('password') ?? '', this.settings.accounts);
      if (!user) {
        // Like Django: the form comes back (200) with an error, not a 401.
        return html(200, pages.loginPage(maskCsrfSecret(ctx.cookies.csrftoken), 'Please enter a correct username and password.', safeNext(form.get('next'))));
      }
      const id = randomId();
      this.sessions.set(id, {user});
      evictOldest(this.sessions, MAX_SESSIONS);
      // The CSRF secret rotates on login, as in Django.
      return redirect(safeNext(form.get('next')) ?? '/dashboard', [`sessionid=${id}; Path=/; HttpOnly; SameSite=Lax`, csrfCookie(newCsrfSecret())]);
    });
    route('GET', '/logout', 10, (ctx) => {
      const id = ctx.cookies.sessionid;
      if (id) this.sessions.delete(id);
      return redirect('/', ['sessionid=; Path=/; Max-Age=0']);
    });
    route('GET', '/dashboard', 80, (ctx) => {
      const s = this.session(ctx);
      if (!s) return redirect('/login?next=/dashboard');
      return html(200, pages.dashboardPage(s.user, this.profile(s.user), this.orderCounts.get(s.user) ?? 0));
    });
    route('GET', '/settings', 30, (ctx) => {
      const s = this.session(ctx);
      if (!s) return redirect('/login?next=/settings');
      const {secret, setCookie} = this.csrf(ctx);
      return html(200, pages.settingsPage(s.user, this.profile(s.user), maskCsrfSecret(secret), ctx.url.searchParams.has('saved')), setCookie ? {'set-cookie': setCookie} : {});
    });
    route('POST', '/profile', 60, (ctx) => {
      const s = this.session(ctx);
      if (!s) return redirect('/login?next=/settings');
      const form = new URLSearchParams(ctx.body.toString('utf8'));
      if (!csrfMatches(form.get('csrfmiddlewaretoken') ?? undefined, ctx.cookies.csrftoken)) return csrfFailure(ctx);
      const displayName = (form.get('display_name') ?? '').trim();
      const email = (form.get('email') ?? '').trim();
      const timezone = (form.get('timezone') ?? 'UTC').trim() || 'UTC';
      if (!displayName || displayName.length > 100 || !/^[^@\s]+@[^@\s]+$/.test(email)) {
        const p = this.profile(s.user);
        return html(400, pages.settingsPage(s.user, p, maskCsrfSecret(ctx.cookies.csrftoken), false));
      }
      this.profiles.set(s.user, {displayName, email, timezone});
      return redirect('/settings?saved=1'); // post/redirect/get
    });

    // JSON API: bearer tokens.
    route('POST', '/api/auth/login', 100, (ctx) => {
      const body = parseJson(ctx.body);
      if (!isObject(body)) return badJson();
      const login = typeof body.email === 'string' ? body.email : typeof body.username === 'string' ? body.username : '';
      const user = checkCredentials(login, typeof body.password === 'string' ? body.password : '', this.settings.accounts);
      if (!user) return json(401, {error: 'invalid_credentials', detail: 'unknown e-mail or wrong password'});
      return json(200, this.tokenPair(user, randomId(8)));
    });
    route('POST', '/api/auth/refresh', 10, (ctx) => {
      const body = parseJson(ctx.body);
      if (!isObject(body) || typeof body.refresh_token !== 'string') return json(400, {error: 'invalid_request', detail: 'send {"refresh_token": "..."}'});
      const check = this.tokens.verify(body.refresh_token, 'refresh');
      if (!check.ok) return json(401, {error: check.error === 'token_expired' ? 'refresh_token_expired' : 'invalid_refresh_token', detail: 'log in again'});
      return json(200, this.tokenPair(check.claims.sub, check.claims.sid));
    });
    route('GET', '/api/products', 40, (ctx) => {
      const page = intParam(ctx.url, 'page', 1);
      const limit = intParam(ctx.url, 'limit', 20);
      if (page === undefined || page < 1 || limit === undefined || limit < 1 || limit > 100) {
        return json(400, {error: 'invalid_query', detail: 'page >= 1 and 1 <= limit <= 100'});
      }
      const category = ctx.url.searchParams.get('category');
      const q = ctx.url.searchParams.get('q');
      let list: ReadonlyArray<Product> = q ? catalog.search(q, Infinity) : catalog.products;
      if (category) list = list.filter((p) => p.category === category);
      const sort = ctx.url.searchParams.get('sort');
      if (sort === 'price_asc' || sort === 'price_desc' || sort === 'rating_desc') {
        const key = sort.startsWith('price') ? 'price' : 'rating';
        const sign = sort.endsWith('asc') ? 1 : -1;
        list = [...list].sort((a, b) => sign * (a[key] - b[key]));
      }
      return json(200, {items: list.slice((page - 1) * limit, page * limit), page, limit, total: list.length, pages: Math.ceil(list.length / limit)});
    });
    route('GET', '/api/products/:id', 20, (ctx) => {
      const p = catalog.get(Number(ctx.params[0]));
      return p ? json(200, p) : json(404, {error: 'not_found', detail: `no product ${ctx.params[0]}`});
    });
    route('POST', '/api/cart/items', 30, (ctx) => {
      const who = this.bearer(ctx);
      if (!isClaims(who)) return who;
      const body = parseJson(ctx.body);
      if (!isObject(body)) return badJson();
      const id = Number(body.product_id);
      const quantity = body.quantity === undefined ? 1 : Number(body.quantity);
      if (!Number.isInteger(id) || !Number.isInteger(quantity) || quantity < 1 || quantity > 99) {
        return json(422, {error: 'invalid_item', detail: 'product_id must be an integer and quantity 1..99'});
      }
      if (!catalog.get(id)) return json(404, {error: 'not_found', detail: `no product ${id}`});
      const cart = this.cart(who.sid);
      cart.set(id, Math.min(99, (cart.get(id) ?? 0) + quantity));
      return json(201, this.cartView(cart));
    });
    route('GET', '/api/cart', 15, (ctx) => {
      const who = this.bearer(ctx);
      if (!isClaims(who)) return who;
      return json(200, this.cartView(this.carts.get(who.sid) ?? new Map()));
    });
    route('POST', '/api/orders', 20, async (ctx) => {
      const who = this.bearer(ctx);
      if (!isClaims(who)) return who;
      const cart = this.carts.get(who.sid);
      if (!cart || cart.size === 0) return json(400, {error: 'cart_empty', detail: 'add items to the cart before checking out'});
      // Stock is reserved under one global lock: checkouts run one at a time while holding their handler.
      return this.orderLock.hold(async () => {
        await this.work(this.settings.orderLockMs);
        const view = this.cartView(cart);
        const id = this.nextOrderId++;
        cart.clear();
        this.counters.now.ordersCreated++;
        this.orderCounts.set(who.sub, (this.orderCounts.get(who.sub) ?? 0) + 1);
        return json(201, {id, status: 'confirmed', total: view.total, item_count: view.item_count}, {location: `/api/orders/${id}`});
      });
    });
    route('GET', '/api/reports/orders', this.settings.reportMs, (ctx) => {
      const who = this.bearer(ctx);
      if (!isClaims(who)) return who;
      const page = intParam(ctx.url, 'page', 1);
      const size = intParam(ctx.url, 'page_size', 50);
      if (page === undefined || page < 1 || size === undefined || size < 1 || size > 200) return json(400, {error: 'invalid_query', detail: 'page >= 1 and 1 <= page_size <= 200'});
      const status = ctx.url.searchParams.get('status') ?? 'completed';
      const rows = Array.from({length: size}, (_, i) => {
        const n = (page - 1) * size + i;
        return {order_id: 10_001 + n, customer: `user${(n * 37) % 1000 + 1}`, status, total: round2(19.99 + (n * 53) % 400), created_at: new Date(Date.UTC(2026, 0, 1) + n * 3_600_000).toISOString()};
      });
      return json(200, {start_date: ctx.url.searchParams.get('start_date'), end_date: ctx.url.searchParams.get('end_date'), page, page_size: size, total: 5000, rows});
    });
    route('GET', '/api/reports/customers', 150, (ctx) => {
      const who = this.bearer(ctx);
      if (!isClaims(who)) return who;
      const segment = ctx.url.searchParams.get('segment') ?? 'all';
      return json(200, {segment, period: ctx.url.searchParams.get('period') ?? 'last_30_days', customers: 1000, active: 612, churned: 23, revenue: 182_340.5, top: Array.from({length: 10}, (_, i) => ({customer: `user${i * 97 + 1}`, orders: 40 - i * 3}))});
    });

    // Uploads.
    route('POST', '/upload/avatar', 40, (ctx) => {
      const who = this.session(ctx)?.user ?? claimsOf(this.bearer(ctx))?.sub;
      if (!who) return json(401, {error: 'not_authenticated', detail: 'sign in (session cookie) or send a bearer token'});
      if (ctx.body.length > MAX_AVATAR) return json(413, {error: 'file_too_large', detail: `at most ${MAX_AVATAR} bytes`});
      const file = filePart(ctx, ['avatar', 'file']);
      if ('status' in file) return file;
      return json(201, {filename: file.filename, content_type: file.contentType ?? 'application/octet-stream', bytes: file.data.length, url: `/media/avatars/${who}.png`});
    });
    route('POST', '/api/imports', 50, (ctx) => {
      const who = this.bearer(ctx);
      if (!isClaims(who)) return who;
      const file = filePart(ctx, ['file']);
      if ('status' in file) return file;
      const lines = file.data.toString('utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
      if (lines.length < 2) return json(422, {error: 'empty_import', detail: 'the CSV needs a header line and at least one row'});
      const job: ImportJob = {id: randomId(6), owner: who.sub, filename: file.filename ?? 'import.csv', rows: lines.length - 1, createdAt: Date.now()};
      this.imports.set(job.id, job);
      evictOldest(this.imports, MAX_IMPORTS);
      return json(202, this.importStatus(job), {location: `/api/imports/${job.id}`});
    });
    route('GET', '/api/imports/:id', 8, (ctx) => {
      const who = this.bearer(ctx);
      if (!isClaims(who)) return who;
      const job = this.imports.get(ctx.params[0]);
      if (!job || job.owner !== who.sub) return json(404, {error: 'not_found', detail: `no import ${ctx.params[0]}`});
      return json(200, this.importStatus(job));
    });

    // The classic single endpoint: a profile lookup with a 10–100 ms database read; ids 0..999 exist.
    route('GET', '/user/:id', [10, 100], (ctx) => {
      const id = ctx.params[0];
      if (!/^\d+$/.test(id) || Number(id) >= USER_IDS) return json(404, {error: 'User not found'});
      return json(200, {id: Number(id), name: `User ${Number(id)}`, email: `user${Number(id)}@example.com`});
    });
    route('GET', '/health', 1, () => json(200, {status: 'ok', in_flight: this.counters.inFlight, queued: this.pool.queued, busy_handlers: this.pool.busy}));
    return routes;
  }
}

// ---- small helpers ----------------------------------------------------------------------------------

function csrfFailure(ctx: Ctx): Reply {
  const reason = isCsrfSecret(ctx.cookies.csrftoken) ? 'the CSRF token is missing or incorrect' : 'the CSRF cookie is not set';
  return html(403, pages.messagePage('Forbidden (403)', `CSRF verification failed: ${reason}.`));
}

function csrfCookie(secret: string): string {
  return `csrftoken=${secret}; Path=/; Max-Age=31449600; SameSite=Lax`;
}

function isClaims(value: TokenClaims | Reply): value is TokenClaims {
  return 'sub' in value;
}

function claimsOf(value: TokenClaims | Reply): TokenClaims | undefined {
  return isClaims(value) ? value : undefined;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function evictOldest<K, V>(map: Map<K, V>, max: number): void {
  while (map.size > max) map.delete(map.keys().next().value as K);
}

/** The first file part among `names` (or any part with a file name); a 400 reply when there is none. */
function filePart(ctx: Ctx, names: ReadonlyArray<string>): Part | Reply {
  const boundary = multipartBoundary(ctx.req.headers['content-type']);
  if (!boundary) return json(400, {error: 'expected_multipart', detail: 'send multipart/form-data'});
  const parts = parseMultipart(ctx.body, boundary);
  if (!parts) return json(400, {error: 'malformed_multipart', detail: 'the multipart body could not be parsed'});
  const files = parts.filter((p) => p.filename !== undefined && p.data.length > 0);
  const file = files.find((p) => names.includes(p.name)) ?? files[0];
  return file ?? json(400, {error: 'no_file', detail: `no file part (expected a field named ${names.join(' or ')})`});
}

// ---- public factories -------------------------------------------------------------------------------

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
