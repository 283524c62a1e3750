// A virtual user's HTTP session: base URL, cookie jar, default headers, bodies, redirects, timeouts.
// Every request ends in exactly one recorded outcome, whatever the target did.
import {performance} from 'node:perf_hooks';
import type {Http, HttpMethod, RequestOptions} from '../../scenario/types.js';
import {checkExpect, classifyError, classifyStatus, errorMessage, failureMessage} from '../http/classify.js';
import type {Recorder} from '../recorder.js';
import {BrinkResponse} from './response.js';
import {bodyDeadline, preciseTimeout, timeoutMessage} from '../http/timeouts.js';
import type {RateLimit} from '../http/rate-limit.js';
import type {Pools} from '../http/pools.js';
import type {H1Pool, LeanResponse} from '../http/h1-pool.js';
import {Exchange, promised, type ExchangeOwner} from './exchange.js';
import {Cookies} from './cookies.js';
import {appendQuery, encodeBody, noBodyAfterAll, readBodySized} from '../http/request-body.js';
import {SessionHeaders} from './session-headers.js';
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

export class Session implements Http, ExchangeOwner {
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
  private traced: Set<Exchange> | undefined;
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
   * target did. Written as a chain of calls on one Exchange rather than one async function: this is the hot
   * path of scenario mode, and every `await` costs a promise and a turn of the microtask queue.
   */
  request(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<BrinkResponse> {
    this.flush();
    if (this.stopping) return Promise.reject(new UserStopped('user stopped'));
    const m = upperCase(method);
    let origin = this.origin;
    let full: string;
    let encoded: ReturnType<typeof encodeBody>;
    try {
      // Most paths are like `/items/42`: sent as they are, no URL parsed (paths.ts).
      if (options.query === undefined && plainPath(path)) full = this.basePath + path;
      else ({origin, path: full} = this.target(path, options.query));
      encoded = encodeBody(options);
      if (options.expect !== undefined) checkExpect(options.expect);
    } catch (error) {
      return Promise.reject(error); // a malformed URL, body or expect is the script's mistake: a `script` failure with its line
    }
    const stats =
      options.name !== undefined ? this.recorder.named(m, options.name, endpointName) : this.recorder.endpoint(m, pathOnly(full));
    const timeoutMs = options.timeout !== undefined ? options.timeout * 1000 : this.settings.timeoutMs;
    const ex = new Exchange(this, stats, options, timeoutMs, origin, full, m, encoded.body, encoded.contentType);
    if (this.traced) {
      ex.site = new Error('request');
      this.traced.add(ex);
    }
    const response = promised(ex);
    const wait = this.settings.limit?.take();
    if (wait) void wait.then(() => this.start(ex));
    else this.start(ex);
    return response;
  }

  private start(ex: Exchange): void {
    // Coordinated omission: a request that could not go out on time is late by the target's fault too.
    const now = performance.now();
    ex.started = this.dueAt !== undefined ? Math.min(this.dueAt, now) : now;
    ex.sentAt = now;
    ex.open = this.dueAt !== undefined;
    this.dueAt = undefined;
    this.inFlight++;
    this.hop(ex);
  }

  /** Sends the exchange's current hop; whatever goes wrong on the way ends it as a failure. */
  private hop(ex: Exchange): void {
    try {
      this.send(ex);
    } catch (error) {
      ex.resolve(this.failed(ex, error));
    }
  }

  /** One hop of a request: over the h1 client to a plain http:// origin when it can carry it, else undici. */
  private send(ex: Exchange): void {
    // The first hop goes out as the clock was read for it: that reading serves again (a clock read is ~75 ns).
    const now = ex.hop === 0 ? ex.sentAt : performance.now();
    // A redirect's hop has what is left of the request's time: the whole request ends by its timeout.
    const timeoutMs = ex.hop === 0 ? ex.timeoutMs : Math.ceil(ex.timeoutMs - (now - ex.sentAt));
    if (timeoutMs <= 0) return ex.resolve(this.finish(ex, 0, {}, EMPTY, 'timeout', timeoutMessage(ex.timeoutMs)));
    const {origin, body} = ex;
    ex.cookie = this.jar.header(origin, ex.path, TIME_ORIGIN + now);
    ex.strip = ex.crossed ? this.strip : undefined;
    const h1 = isUndiciFormData(body) ? undefined : this.h1Pool(origin);
    // The h1 client is for http:// only: the origin's host[:port] follows the 7 characters of the scheme.
    const bytes = h1 && this.headers.h1(ex.method, origin === this.origin ? this.host : origin.slice(7), ex.path, ex);
    if (bytes) return h1!.request(bytes, ex.method === 'HEAD', timeoutMs, ex, now);
    this.viaUndici(ex, this.headers.object(ex), timeoutMs).then(
      (res) => this.received(ex, res),
      (error: unknown) => ex.resolve(this.failed(ex, error)),
    );
  }

  /** The h1 client's answer to an exchange's hop (Exchange.h1Done). */
  h1Received(ex: Exchange, res: LeanResponse): void {
    if (res.error !== undefined) ex.resolve(this.failed(ex, res.error));
    else this.received(ex, res);
  }

  /** A hop's response: the next hop for a redirect to follow, else the exchange's end. */
  private received(ex: Exchange, res: Received): void {
    const {status, setCookie, location} = res;
    try {
      if (setCookie) this.jar.store(setCookie, ex.origin + ex.path);
      if (ex.options.redirect !== false && isRedirect(status, location)) {
        if (ex.hop >= MAX_REDIRECTS)
          return ex.resolve(this.finish(ex, 0, {}, EMPTY, 'too_many_redirects', `more than ${MAX_REDIRECTS} redirects`));
        // 303, and 301/302 after a POST, turn into a GET without a body, as browsers do.
        const next = nextHop(status, location, ex.origin + ex.path, ex.method);
        if (next instanceof Error) return ex.resolve(this.failed(ex, next));
        // Where the first hop sent it (path only: a query may carry a token), so a report can say "302 → /login".
        if (ex.hop === 0) ex.stats.redirected(firstHopName(ex.origin, next.url));
        // Once it leaves its origin, its credentials stay behind for the rest of the way (as fetch does).
        if (next.url.origin !== ex.firstOrigin) ex.crossed = true;
        ex.origin = next.url.origin;
        ex.path = next.url.pathname + next.url.search;
        ex.method = next.method;
        if (next.dropBody) {
          ex.body = undefined;
          ex.contentType = undefined;
        }
        ex.hop++;
        return this.hop(ex);
      }
    } catch (error) {
      return ex.resolve(this.failed(ex, error));
    }
    ex.stats.bytes += res.size ?? res.body.length;
    const kind = classifyStatus(status, ex.options.expect);
    const response = this.finish(ex, status, res.head, res.body, kind, kind ? `HTTP ${status}` : undefined, res.endedAt);
    if (!kind && ex.options.check) runCheck(response, ex.options.check);
    ex.resolve(response);
  }

  private failed(ex: Exchange, error: unknown): BrinkResponse {
    const kind = classifyError(error);
    return this.finish(ex, 0, {}, EMPTY, kind, failureMessage(kind, error, ex.timeoutMs));
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
  private async viaUndici(ex: Exchange, headers: Record<string, string>, timeoutMs: number): Promise<Received> {
    const deadline = performance.now() + timeoutMs;
    const {method} = ex;
    const res = await this.pools.get(ex.origin).request({
      path: ex.path,
      method: method as 'GET',
      headers,
      body: ex.body as never,
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

  /**
   * A path that is not plain (request() sends those as they are) or has a query, through URL: joined to the base
   * URL's path (so `--host http://h/app` works); a full URL is used as is.
   */
  private target(path: string, query: RequestOptions['query']): Target {
    const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(path)
      ? new URL(path)
      : new URL(this.basePath + (path.startsWith('/') ? path : `/${path}`), this.base.origin);
    if (query) appendQuery(url, query);
    return {origin: url.origin, path: url.pathname + url.search};
  }

  private finish(
    ex: Exchange,
    status: number,
    headers: Record<string, string | string[] | undefined> | string,
    bytes: Buffer,
    kind: string | undefined,
    message: string | undefined,
    endedAt?: number,
  ): BrinkResponse {
    this.inFlight--;
    this.traced?.delete(ex);
    // Opening connections is counted apart (connect-times.ts); a failure without a response counts its whole time.
    const end = endedAt ?? performance.now();
    const connect = status > 0 ? ex.connectMs : 0;
    const response = new BrinkResponse(
      status,
      headers,
      ex,
      end - ex.started - connect,
      bytes,
      ex.stats,
      kind,
      message,
      ex.open ? end - ex.sentAt - connect : undefined,
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
