// A virtual user's HTTP session: base URL, cookie jar, default headers, bodies, redirects, timeouts.
// Every request ends in exactly one recorded outcome, whatever the target did.
import {performance} from 'node:perf_hooks';
import type {Http, HttpMethod, RequestOptions} from '../../scenario/types.js';
import {classifyError, classifyStatus, errorMessage, failureMessage} from '../http/classify.js';
import type {Recorder} from '../recorder.js';
import {BrinkResponse} from './response.js';
import {bodyDeadline, preciseTimeout, timeoutMessage} from '../http/timeouts.js';
import type {RateLimit} from '../http/rate-limit.js';
import type {Pools} from '../http/pools.js';
import type {H1Pool} from '../http/h1-pool.js';
import {Cookies} from './cookies.js';
import {appendQuery, encodeBody, noBodyAfterAll, readBodySized, type Body} from '../http/request-body.js';
import {SessionHeaders, type RequestParts} from './session-headers.js';
import {isUndiciFormData} from '../http/undici.js';
import {pathOnly, plainPath, type Target} from '../http/paths.js';
import {firstHopName, isRedirect, MAX_REDIRECTS, nextHop, strippedHeaders} from '../http/redirects.js';

const EMPTY = Buffer.alloc(0);

/** performance.now() + this = epoch ms (the getter costs about as much as reading the clock). */
const TIME_ORIGIN = performance.timeOrigin;

interface Received {
  readonly status: number;
  /** The headers, or the raw head of the h1 client (parsed if the script reads them). */
  readonly head: Record<string, string | string[] | undefined> | string;
  readonly setCookie?: string | string[];
  readonly location?: string;
  readonly body: Buffer;
  /** Body bytes received, when more than `body` kept. */
  readonly size?: number;
  /** When it ended (performance.now() ms), when the path that received it read the clock already. */
  readonly endedAt?: number;
  readonly error?: unknown;
}

/** A request on its way, across its redirects. */
interface Pending {
  readonly stats: ReturnType<Recorder['endpoint']>;
  readonly options: RequestOptions;
  readonly timeoutMs: number;
  /** performance.now() ms when it went out (or was due). */
  started: number;
  /** performance.now() ms when its first hop went out. */
  sentAt: number;
  /** Time its hops spent opening connections on the h1 client: counted apart, not in its latency (connect-times.ts). */
  connectMs: number;
  /** Open model: it was due before it went out; its latency from `sentAt` is kept too (uncorrected). */
  open: boolean;
  /** Its first hop's origin, and whether a redirect left it: from then on its credentials stay behind (redirects.ts). */
  origin: string;
  crossed: boolean;
  /** Where the script called for it, kept while looking for an un-awaited request (see `trace`). */
  site?: Error;
}

export interface SessionSettings {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** --max-rps: each request waits for a slot first. */
  readonly limit?: RateLimit;
  /** Headers a redirect to another origin drops (default: the credentials, redirects.ts). */
  readonly strip?: ReadonlySet<string>;
}

/** Thrown into a task when its user was asked to stop: ends the task quietly. */
export class UserStopped extends Error {
  readonly brinkStopped = true;
}

export class Session implements Http {
  readonly baseUrl: string;
  private readonly base: URL;
  private readonly basePath: string;
  private readonly origin: string;
  /** The base URL's h1 pool (null: not looked up yet) and `host[:port]`: most requests go there. */
  private ownH1: H1Pool | undefined | null = null;
  private readonly host: string;
  private readonly jar = new Cookies();
  private readonly headers: SessionHeaders;
  private readonly strip: ReadonlySet<string>;
  private pending: BrinkResponse | undefined;
  inFlight = 0;
  /** Called once no request is in flight (a task that returned before its requests ended waits for them). */
  private idle: Array<() => void> = [];
  /** While set, each request keeps the stack it was called from, until it ends: where an un-awaited one came from. */
  private traced: Set<Pending> | undefined;
  stopping = false;
  /** Open model: when the next request was due (performance.now() ms); its latency counts from then. */
  dueAt: number | undefined;

  constructor(
    private readonly settings: SessionSettings,
    private readonly pools: Pools,
    private readonly recorder: Recorder,
  ) {
    this.base = new URL(settings.baseUrl);
    this.origin = this.base.origin;
    this.baseUrl = this.base.href.replace(/\/$/, '');
    this.basePath = this.base.pathname.replace(/\/$/, '');
    this.host = this.base.host;
    this.headers = new SessionHeaders(settings.headers);
    this.strip = settings.strip ?? strippedHeaders();
  }

  get(path: string, options?: RequestOptions) {
    return this.request('GET', path, options);
  }
  head(path: string, options?: RequestOptions) {
    return this.request('HEAD', path, options);
  }
  delete(path: string, options?: RequestOptions) {
    return this.request('DELETE', path, options);
  }
  post(path: string, options?: RequestOptions) {
    return this.request('POST', path, options);
  }
  put(path: string, options?: RequestOptions) {
    return this.request('PUT', path, options);
  }
  patch(path: string, options?: RequestOptions) {
    return this.request('PATCH', path, options);
  }

  bearer(token: string | undefined): void {
    this.setHeader('authorization', token === undefined ? undefined : `Bearer ${token}`);
  }

  setHeader(name: string, value: string | undefined): void {
    this.headers.set(name, value);
  }

  cookie(name: string): string | undefined {
    return this.jar.get(name, this.base.href);
  }

  clearCookies(): void {
    this.jar.clear();
  }

  /**
   * The headers of a WebSocket handshake or an event stream's request to `url` (http: or https:): this user's
   * defaults (a bearer token, the run's Basic auth…), `extra`, and the jar's cookies for it.
   */
  socketHeaders(url: URL, extra?: Readonly<Record<string, string>>): Record<string, string> {
    const cookie = this.jar.header(url.origin, url.pathname);
    return this.headers.object({extra, body: undefined, contentType: undefined, cookie});
  }

  /** Keeps the cookies a handshake or an event stream's response set (`href`: its http: or https: URL). */
  keepCookies(setCookie: string | string[], href: string): void {
    this.jar.store(setCookie, href);
  }

  /**
   * The same user's session for its next tasks (same cookies, same headers) after a task was abandoned
   * (it outlived the task timeout). This one refuses new requests: the abandoned task ends at its next one.
   */
  fork(): Session {
    const next = new Session(this.settings, this.pools, this.recorder);
    Object.assign(next, {jar: this.jar, headers: this.headers});
    this.stopping = true;
    return next;
  }

  /** The last response, until it is recorded. */
  get lastResponse(): BrinkResponse | undefined {
    return this.pending;
  }

  /** Calls `fn` once no request is in flight: at once, or when the last one ends. */
  whenIdle(fn: () => void): void {
    if (this.inFlight === 0) fn();
    else this.idle.push(fn);
  }

  /** Keep (or stop keeping) where each request was called from: costs a stack a request, so only briefly. */
  trace(on: boolean): void {
    this.traced = on ? new Set() : undefined;
  }

  get tracing(): boolean {
    return this.traced !== undefined;
  }

  /** Where a request still in flight was called from, while tracing. */
  get unawaitedSite(): Error | undefined {
    if (this.traced) for (const req of this.traced) if (req.site) return req.site;
    return undefined;
  }

  /** Records the last response's outcome; called before the next request and when a task ends. */
  flush(): void {
    this.pending?.record();
    this.pending = undefined;
  }

  /**
   * Sends a request (following redirects) and resolves with its response; never rejects for what the
   * target did. Written as a chain of callbacks rather than one async function: this is the hot path
   * of scenario mode, and every `await` costs a promise and a turn of the microtask queue.
   */
  request(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<BrinkResponse> {
    this.flush();
    if (this.stopping) return Promise.reject(new UserStopped('user stopped'));
    const m = upperCase(method);
    let target: Target;
    let encoded: ReturnType<typeof encodeBody>;
    try {
      target = this.target(path, options.query);
      encoded = encodeBody(options);
    } catch (error) {
      return Promise.reject(error); // a malformed URL or body is the script's mistake: a `script` failure with its line
    }
    const stats =
      options.name !== undefined ? this.recorder.named(m, options.name, endpointName) : this.recorder.endpoint(m, pathOnly(target.path));
    const req: Pending = {
      stats,
      options,
      timeoutMs: options.timeout !== undefined ? options.timeout * 1000 : this.settings.timeoutMs,
      started: 0,
      sentAt: 0,
      connectMs: 0,
      open: false,
      origin: target.origin,
      crossed: false,
    };
    if (this.traced) {
      req.site = new Error('request');
      this.traced.add(req);
    }
    const wait = this.settings.limit?.take();
    if (wait) return wait.then(() => this.start(req, target, m, encoded.body, encoded.contentType));
    return this.start(req, target, m, encoded.body, encoded.contentType);
  }

  private start(req: Pending, target: Target, method: string, body: Body, contentType: string | undefined): Promise<BrinkResponse> {
    // Coordinated omission: a request that could not go out on time is late by the target's fault too.
    const now = performance.now();
    req.started = this.dueAt !== undefined ? Math.min(this.dueAt, now) : now;
    req.sentAt = now;
    req.open = this.dueAt !== undefined;
    this.dueAt = undefined;
    this.inFlight++;
    return this.hop(req, target, method, body, contentType, 0);
  }

  /** One hop of a request: over the h1 client to a plain http:// origin when it can carry it, else undici. */
  private hop(
    req: Pending,
    target: Target,
    method: string,
    body: Body,
    contentType: string | undefined,
    hop: number,
  ): Promise<BrinkResponse> {
    try {
      return this.send(req, target, method, body, contentType, hop);
    } catch (error) {
      return Promise.resolve(this.failed(req, target, error));
    }
  }

  private send(
    req: Pending,
    target: Target,
    method: string,
    body: Body,
    contentType: string | undefined,
    hop: number,
  ): Promise<BrinkResponse> {
    // The first hop goes out as the clock was read for it: that reading serves again (a clock read is ~75 ns).
    const now = hop === 0 ? req.sentAt : performance.now();
    // A redirect's hop has what is left of the request's time: the whole request ends by its timeout.
    const timeoutMs = hop === 0 ? req.timeoutMs : Math.ceil(req.timeoutMs - (now - req.sentAt));
    if (timeoutMs <= 0) return Promise.resolve(this.finish(req, 0, {}, target, EMPTY, 'timeout', timeoutMessage(req.timeoutMs)));
    const {origin} = target;
    const parts: RequestParts = {
      extra: req.options.headers,
      body,
      contentType,
      cookie: this.jar.header(origin, target.path, TIME_ORIGIN + now),
      strip: req.crossed ? this.strip : undefined,
    };
    const h1 = isUndiciFormData(body) ? undefined : this.h1Pool(origin);
    // The h1 client is for http:// only: the origin's host[:port] follows the 7 characters of the scheme.
    const bytes = h1 && this.headers.h1(method, origin === this.origin ? this.host : origin.slice(7), target.path, parts);
    if (bytes) {
      return new Promise((resolve) =>
        h1!.request(
          bytes,
          method === 'HEAD',
          timeoutMs,
          (res) => {
            req.connectMs += res.connectMs;
            resolve(
              res.error !== undefined
                ? this.failed(req, target, res.error)
                : this.received(req, target, method, body, contentType, hop, res),
            );
          },
          now,
        ),
      );
    }
    return this.viaUndici(target, method, this.headers.object(parts), body, timeoutMs).then(
      (res) => this.received(req, target, method, body, contentType, hop, res),
      (error: unknown) => this.failed(req, target, error),
    );
  }

  private received(
    req: Pending,
    target: Target,
    method: string,
    body: Body,
    contentType: string | undefined,
    hop: number,
    res: Received,
  ): BrinkResponse | Promise<BrinkResponse> {
    const {status, setCookie, location} = res;
    try {
      if (setCookie) this.jar.store(setCookie, target.origin + target.path);
      if (req.options.redirect !== false && isRedirect(status, location)) {
        if (hop >= MAX_REDIRECTS)
          return this.finish(req, 0, {}, target, EMPTY, 'too_many_redirects', `more than ${MAX_REDIRECTS} redirects`);
        // 303, and 301/302 after a POST, turn into a GET without a body, as browsers do.
        const next = nextHop(status, location, target.origin + target.path, method);
        if (next instanceof Error) return this.failed(req, target, next);
        // Where the first hop sent it (path only: a query may carry a token), so a report can say "302 → /login".
        if (hop === 0) req.stats.redirected(firstHopName(target.origin, next.url));
        // Once it leaves its origin, its credentials stay behind for the rest of the way (as fetch does).
        if (next.url.origin !== req.origin) req.crossed = true;
        const to = {origin: next.url.origin, path: next.url.pathname + next.url.search};
        if (next.dropBody) return this.hop(req, to, next.method, undefined, undefined, hop + 1);
        return this.hop(req, to, method, body, contentType, hop + 1);
      }
    } catch (error) {
      return this.failed(req, target, error);
    }
    req.stats.bytes += res.size ?? res.body.length;
    const kind = classifyStatus(status, req.options.expect);
    const response = this.finish(req, status, res.head, target, res.body, kind, kind ? `HTTP ${status}` : undefined, res.endedAt);
    if (!kind && req.options.check) runCheck(response, req.options.check);
    return response;
  }

  private failed(req: Pending, target: Target, error: unknown): BrinkResponse {
    const kind = classifyError(error);
    return this.finish(req, 0, {}, target, EMPTY, kind, failureMessage(kind, error, req.timeoutMs));
  }

  private h1Pool(origin: string): H1Pool | undefined {
    if (origin !== this.origin) return this.pools.h1Pool(origin);
    if (this.ownH1 === null) this.ownH1 = this.pools.h1Pool(origin);
    return this.ownH1;
  }

  /**
   * undici: https, multipart bodies, and what the h1 client does not send. The body is read up to maxBodyBytes,
   * by the request's deadline (undici's bodyTimeout is per chunk; a short timeout's signal covers the body itself).
   */
  private async viaUndici(
    target: Target,
    method: string,
    headers: Record<string, string>,
    body: Body,
    timeoutMs: number,
  ): Promise<Received> {
    const deadline = performance.now() + timeoutMs;
    const res = await this.pools.get(target.origin).request({
      path: target.path,
      method: method as 'GET',
      headers,
      body: body as never,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: preciseTimeout(timeoutMs),
    });
    const {statusCode: status, headers: got} = res;
    const location = typeof got.location === 'string' ? got.location : undefined;
    if (method === 'HEAD') {
      await res.body.dump().catch(() => {});
      return {status, head: got, setCookie: got['set-cookie'], location, body: EMPTY};
    }
    const stopWatch = timeoutMs >= 5000 ? bodyDeadline(res.body, deadline) : undefined;
    try {
      const {kept, size} = await readBodySized(res.body, this.settings.maxBodyBytes);
      return {status, head: got, setCookie: got['set-cookie'], location, body: kept, size};
    } catch (error) {
      if (noBodyAfterAll(status, error)) return {status, head: got, setCookie: got['set-cookie'], location, body: EMPTY};
      throw error;
    } finally {
      stopWatch?.();
    }
  }

  /** A path is joined to the base URL's path (so `--host http://h/app` works); a full URL is used as is. */
  private target(path: string, query: RequestOptions['query']): Target {
    if (query === undefined && plainPath(path)) return {origin: this.origin, path: this.basePath + path};
    const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(path)
      ? new URL(path)
      : new URL(this.basePath + (path.startsWith('/') ? path : `/${path}`), this.base.origin);
    if (query) appendQuery(url, query);
    return {origin: url.origin, path: url.pathname + url.search};
  }

  private finish(
    req: Pending,
    status: number,
    headers: Record<string, string | string[] | undefined> | string,
    target: Target,
    bytes: Buffer,
    kind: string | undefined,
    message: string | undefined,
    endedAt?: number,
  ): BrinkResponse {
    this.inFlight--;
    this.traced?.delete(req);
    // Opening connections is counted apart (connect-times.ts); a failure without a response counts its whole time.
    const end = endedAt ?? performance.now();
    const connect = status > 0 ? req.connectMs : 0;
    const response = new BrinkResponse(
      status,
      headers,
      target,
      end - req.started - connect,
      bytes,
      req.stats,
      kind,
      message,
      req.open ? end - req.sentAt - connect : undefined,
    );
    // Two responses unrecorded at once: requests not awaited one by one (Promise.all, or a missing await). The
    // earlier is recorded now, or it would be lost; a check made on it later still counts (BrinkResponse.fail).
    if (this.pending !== undefined && this.pending !== response) this.pending.record();
    this.pending = response;
    if (this.inFlight === 0 && this.idle.length > 0) {
      const waiting = this.idle;
      this.idle = [];
      // After the response reaches whoever awaits it, if anyone does.
      queueMicrotask(() => {
        for (const fn of waiting) fn();
      });
    }
    return response;
  }
}

function runCheck(response: BrinkResponse, check: NonNullable<RequestOptions['check']>): void {
  try {
    const verdict = check(response);
    if (verdict === false) response.fail('check failed');
    else if (typeof verdict === 'string') response.fail(verdict);
  } catch (error) {
    response.fail(`check threw: ${errorMessage(error)}`);
  }
}

/** The method as sent. Scripts mostly pass it in upper case already (http.get…): that is checked first, for less. */
function upperCase(method: string): string {
  switch (method) {
    case 'GET':
    case 'POST':
    case 'PUT':
    case 'PATCH':
    case 'DELETE':
    case 'HEAD':
    case 'OPTIONS':
      return method;
    default:
      return method.toUpperCase();
  }
}

/** A `name` may repeat the method (`GET /items/:id`, as the docs show it): the key already starts with it. */
export function endpointName(method: string, name: string): string {
  return name.length > method.length && name[method.length] === ' ' && name.slice(0, method.length).toUpperCase() === method
    ? name.slice(method.length + 1).trimStart()
    : name;
}
