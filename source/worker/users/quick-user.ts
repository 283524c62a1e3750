// Quick mode's user: one request back to back on a kept-alive connection, no cookies, no think time.
// The hot path is kept bare (no URL parsing, no header merging per request): it is what sets brink's ceiling.
// Against plain http:// targets each user owns one connection and writes a request prebuilt once as bytes,
// parsing the response just far enough to find its end (H1Connection, below): about 2× cheaper per
// request than undici's Pool.request (bench/ measures it). https and unusual headers go through undici.
// Redirects are followed as hey and oha do (up to --max-redirects, 10 by default): a request and its hops are
// one request, timed from its first byte out to its last hop's end, all within --timeout. Off that hot path.
import {performance} from 'node:perf_hooks';
import type {Dispatcher} from 'undici';
import {classifyError, failureMessage} from '../http/classify.js';
import {bodyDeadline, preciseTimeout} from '../http/timeouts.js';
import {H1Connection, plainHttp, type FixedRequest} from '../http/h1-connection.js';
import {onNextTurn} from './next-turn.js';
import {noBodyAfterAll, readBodySized} from '../http/request-body.js';
import type {RequestBudget} from '../request-budget.js';
import {BODY_SAMPLE_BYTES, type FailureKind} from '../../protocol/snapshot.js';
import type {RateLimit} from '../http/rate-limit.js';
import type {EndpointStats} from '../recorder.js';
import type {ConnectTimes} from '../http/connect-times.js';
import type {Pools} from '../http/pools.js';
import type {Requester} from '../http/h2-dispatcher.js';
import {requestBytes} from '../http/h1-text.js';
import {loadUndici} from '../http/undici.js';
import {firstHopName, hopHeaders, isRedirect, nextHop} from '../http/redirects.js';

export interface QuickRequest extends FixedRequest {
  readonly timeoutMs: number;
  /** --max-rps: each request waits for a slot first. */
  readonly limit?: RateLimit;
  /** `-n`: a ticket before each request; none left, the user stops. */
  readonly budget?: RequestBudget;
}

/** The worker's connections elsewhere, and how a quick user follows redirects. */
export interface QuickNet {
  /** The worker's pools: a hop to another origin, or over undici, goes through them (and their host guard). */
  readonly pools: Pools;
  /** Redirects followed at most (--max-redirects); 0: a 3xx is the response. */
  readonly maxRedirects: number;
  /** Headers a redirect to another origin drops (redirects.ts). */
  readonly strip: ReadonlySet<string>;
}

/** How a request ended, its redirects followed: a response (status > 0), or a failure without one. */
interface Outcome {
  readonly status: number;
  /** performance.now() ms when its last response ended (0 for a failure). */
  readonly endedAt: number;
  /** Time its hops spent opening connections on the h1 client: counted apart, not in its latency. */
  readonly connectMs: number;
  /** An error page's first bytes. */
  readonly body?: Buffer;
  /** Body bytes of the last response. */
  readonly size?: number;
  readonly kind?: FailureKind;
  readonly message?: string;
}

/** One hop's response, or its failure. */
interface HopResult {
  readonly status: number;
  readonly location?: string;
  readonly body?: Buffer;
  readonly size?: number;
  readonly connectMs: number;
  readonly endedAt: number;
  readonly error?: unknown;
}

const EMPTY = Buffer.alloc(0);

/** An h1 connection's last response (or failure) as a hop's result. */
function hopResult(conn: H1Connection, status: number, error: unknown): HopResult {
  if (error !== undefined) return {status: 0, connectMs: conn.connectMs, endedAt: 0, error};
  return {
    status,
    location: conn.location,
    body: status >= 400 ? conn.body() : undefined,
    size: conn.bodyBytes,
    connectMs: conn.connectMs,
    endedAt: conn.endedAt,
  };
}

/** A connection of a user's to another http:// origin a redirect led to, with the hop it is serving. */
interface Elsewhere {
  readonly conn: H1Connection;
  then: ((status: number, error: unknown) => void) | undefined;
}

export class QuickUser {
  inFlight = 0;
  private stopRequested = false;
  /** The run is ending: the worker closes every connection at once after the last response (see main.ts). */
  private keepConnection = false;
  private readonly options: Dispatcher.RequestOptions;
  readonly done: Promise<void>;

  private readonly precise: boolean;
  private readonly timeoutMs: number;
  private readonly limit: RateLimit | undefined;
  private readonly budget: RequestBudget | undefined;

  /** The h1 client's connection; undefined: requests go through undici. */
  private readonly raw: H1Connection | undefined;
  private started = 0;
  /** Open model: when the request actually went out (`started` is when it was due). */
  private sentAt = 0;
  private finish: (() => void) | undefined;
  private iterationDone: (() => void) | undefined;
  /** Following redirects: the worker's pools and the rules; undefined with --max-redirects 0 (or none given). */
  private readonly follow: QuickNet | undefined;
  /** The request as first sent, for its redirects. */
  private readonly req: QuickRequest;
  private readonly url: string;
  /** A redirect's hop on the user's own connection: its response goes here, not to the loop. */
  private ownHop: ((status: number, error: unknown) => void) | undefined;
  /** Connections to other http:// origins redirects led to. */
  private elsewhere: Map<string, Elsewhere> | undefined;

  /**
   * `pool`: undici's, for a request the h1 client does not carry (H1Connection.carries); undefined otherwise.
   * `open`: no loop of its own; an arrival scheduler calls `iterate` (open model). `net`: the worker's pools
   * (and their host guard, which the user's own connection goes through too) and how redirects are followed.
   */
  constructor(
    private readonly origin: string,
    private readonly pool: Requester | undefined,
    req: QuickRequest,
    private readonly stats: EndpointStats,
    private readonly open = false,
    private readonly connects?: ConnectTimes,
    net?: QuickNet,
  ) {
    this.req = req;
    this.url = origin + req.path;
    this.follow = net && net.maxRedirects > 0 ? net : undefined;
    this.timeoutMs = req.timeoutMs;
    this.limit = req.limit;
    this.budget = req.budget;
    this.precise = preciseTimeout(req.timeoutMs) !== undefined;
    this.options = {
      path: req.path,
      method: req.method as 'GET',
      headers: req.headers,
      body: req.body,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    };
    // With --http2 every request goes through undici (the h1 client speaks HTTP/1.1 only).
    this.raw = pool ? undefined : H1Connection.for(origin, req, this.onRawDone, connects, net?.pools.guard);
    if (this.raw && this.follow) this.raw.wantLocation = true;
    if (!this.raw && !pool) throw new Error(`quick mode needs undici for ${origin}${req.path}, and was given no pool`);
    if (open) this.done = Promise.resolve();
    else if (this.raw) {
      this.done = new Promise((resolve) => {
        this.finish = resolve;
      });
      this.next();
    } else this.done = this.run();
  }

  get stopping(): boolean {
    return this.stopRequested;
  }

  /** `keepConnection`: finish without closing the connection; the caller closes it with `close()`. */
  stop(keepConnection = false): void {
    this.stopRequested = true;
    this.keepConnection = keepConnection;
    // An idle open-model user, or a closed-loop one pausing after a failure, lets go of its connection now.
    if (this.raw && this.inFlight === 0) this.end();
  }

  close(): void {
    this.raw?.close();
    if (this.elsewhere) for (const e of this.elsewhere.values()) e.conn.close();
  }

  /** Open model: one request whose latency counts from `dueAt` (performance.now() ms), not from when it went out. */
  async iterate(dueAt: number): Promise<void> {
    if (this.stopRequested || (this.budget && !this.budget.take())) return;
    if (this.limit) await this.limit.take();
    if (this.raw) {
      if (this.stopRequested) return;
      return new Promise((resolve) => {
        this.iterationDone = resolve;
        this.issue(Math.min(dueAt, performance.now()));
      });
    }
    const now = performance.now();
    await this.send(Math.min(dueAt, now), now);
  }

  /** h1 client, closed loop: the next request, after the rate limit's slot when there is one. */
  private next(): void {
    if (this.stopRequested) return this.end();
    if (this.budget && !this.budget.take()) return this.spent();
    const wait = this.limit?.take();
    if (wait) void wait.then(() => (this.stopRequested ? this.end() : this.issue(performance.now())));
    else this.issue(performance.now());
  }

  private issue(started: number): void {
    this.inFlight++;
    this.started = started;
    if (this.open) this.sentAt = performance.now();
    // Closed loop: `started` was just read. Open model: it may be the (earlier) due time, no good for idle checks.
    this.raw!.send(this.timeoutMs, undefined, undefined, this.open ? undefined : started);
  }

  /** `-n`: no request left for this user; it ends as a stopped one does. */
  private spent(): void {
    this.stopRequested = true;
    this.end();
  }

  private end(): void {
    if (!this.keepConnection) this.close();
    this.finish?.();
  }

  /** An h1 request ended: a response with its status, or a failure without one. */
  private readonly onRawDone = (status: number, error: unknown): void => {
    const hop = this.ownHop;
    if (hop !== undefined) {
      this.ownHop = undefined;
      return hop(status, error);
    }
    const raw = this.raw!;
    // A redirect to follow (its Location is kept only when following): its hops, then the outcome, off the hot path.
    if (raw.location !== undefined && error === undefined && status >= 300 && status < 400) {
      void this.chain(status, raw.location, raw.connectMs, this.open ? this.sentAt : this.started).then(this.settleRaw);
      return;
    }
    this.inFlight--;
    const {stats} = this;
    if (error === undefined) {
      // From when the connection was up: opening it is counted apart (connect-times.ts).
      const latencyUs = (raw.endedAt - this.started - raw.connectMs) * 1000;
      stats.bytes += raw.bodyBytes;
      if (status < 400) stats.record(latencyUs, status);
      else stats.record(latencyUs, status, `http_${status}`, `HTTP ${status}`, raw.body());
      if (this.open) stats.recordUncorrected((raw.endedAt - this.sentAt - raw.connectMs) * 1000);
    } else {
      // A failure without a response counts its whole time: a timeout shows as the timeout.
      const now = performance.now();
      const kind = classifyError(error);
      stats.record((now - this.started) * 1000, 0, kind, failureMessage(kind, error, this.timeoutMs));
      if (this.open) stats.recordUncorrected((now - this.sentAt) * 1000);
    }
    this.after(error !== undefined);
  };

  /** A request over the h1 client whose redirects were followed: recorded, then the loop goes on. */
  private readonly settleRaw = (out: Outcome): void => {
    this.inFlight--;
    this.after(!this.record(out, this.started, this.open ? this.sentAt : undefined));
  };

  /** The h1 loop after a request: the next one, or the open model's iteration done, or the end. */
  private after(failed: boolean): void {
    if (this.open) {
      const done = this.iterationDone;
      this.iterationDone = undefined;
      if (this.stopRequested) this.end();
      done?.();
    } else if (this.stopRequested) this.end();
    // A refused or reset connection fails in microseconds: pause briefly rather than spin the CPU.
    else if (failed) setTimeout(() => this.next(), 10);
    // Sent in the loop's next turn, with the other users' (see next-turn.ts): a batch a turn, not a write a response.
    else onNextTurn(this.nextBound);
  }

  private readonly nextBound = (): void => this.next();

  private async run(): Promise<void> {
    while (!this.stopRequested) {
      if (this.budget && !this.budget.take()) return this.spent();
      if (this.limit) await this.limit.take();
      // A refused or reset connection fails in microseconds: pause briefly rather than spin the CPU.
      if (!(await this.send(performance.now()))) await new Promise((r) => setTimeout(r, 10));
    }
  }

  /**
   * One request; false when it failed without a response. `started`: where its latency counts from (when it
   * was due, in the open model); `sentAt`: when it went out, given in the open model only.
   */
  private async send(started: number, sentAt?: number): Promise<boolean> {
    const {stats} = this;
    this.inFlight++;
    let stopWatch: (() => void) | undefined;
    try {
      const res = await this.pool!.request(this.precise ? {...this.options, signal: preciseTimeout(this.timeoutMs)} : this.options);
      // dump() resolves even when the body fails (a reset after the headers): catch the error to count it.
      // Its default limit (128 KiB) destroys the connection for bigger bodies, so lift it.
      // An error page's first bytes are kept for its error sample (readBody reads the rest and drops it).
      const status = res.statusCode;
      let bodyError: unknown;
      res.body.once('error', (error) => {
        bodyError = error;
      });
      // The whole request within --timeout: undici's bodyTimeout is per chunk (a short timeout's signal ends the body itself).
      if (!this.precise) stopWatch = bodyDeadline(res.body, (sentAt ?? started) + this.timeoutMs);
      const sample = status >= 400 ? await readBodySized(res.body, BODY_SAMPLE_BYTES) : undefined;
      // dump() is undici's fastest way to the end of a body, when its Content-Length says how big it is.
      const length = contentLength(res.headers['content-length']);
      if (sample) stats.bytes += sample.size;
      else if (length !== undefined) {
        await res.body.dump({limit: Number.MAX_SAFE_INTEGER});
        stats.bytes += length;
      } else stats.bytes += (await readBodySized(res.body, 0).catch((error: unknown) => ((bodyError ??= error), {size: 0}))).size;
      if (bodyError !== undefined && !noBodyAfterAll(status, bodyError)) throw bodyError;
      if (this.follow && isRedirect(status, typeof res.headers.location === 'string' ? res.headers.location : undefined)) {
        return this.record(await this.chain(status, res.headers.location as string, 0, sentAt ?? started), started, sentAt);
      }
      const now = performance.now();
      if (status < 400) stats.record((now - started) * 1000, status);
      else stats.record((now - started) * 1000, status, `http_${status}`, `HTTP ${status}`, sample?.kept);
      if (sentAt !== undefined) stats.recordUncorrected((now - sentAt) * 1000);
      return true;
    } catch (error) {
      const now = performance.now();
      const kind = classifyError(error);
      stats.record((now - started) * 1000, 0, kind, failureMessage(kind, error, this.timeoutMs));
      if (sentAt !== undefined) stats.recordUncorrected((now - sentAt) * 1000);
      return false;
    } finally {
      stopWatch?.();
      this.inFlight--;
    }
  }

  /** Records a request whose redirects were followed; false when it failed without a response. */
  private record(out: Outcome, started: number, sentAt: number | undefined): boolean {
    const {stats} = this;
    if (out.kind === undefined) {
      const latencyUs = (out.endedAt - started - out.connectMs) * 1000;
      stats.bytes += out.size ?? 0;
      if (out.status < 400) stats.record(latencyUs, out.status);
      else stats.record(latencyUs, out.status, `http_${out.status}`, `HTTP ${out.status}`, out.body);
      if (sentAt !== undefined) stats.recordUncorrected((out.endedAt - sentAt - out.connectMs) * 1000);
      return true;
    }
    const now = performance.now();
    stats.record((now - started) * 1000, 0, out.kind, out.message);
    if (sentAt !== undefined) stats.recordUncorrected((now - sentAt) * 1000);
    return false;
  }

  /**
   * Follows the redirect a first response (`status`, `location`) asked for, hop by hop, to the last response;
   * never rejects. `connectMs`: what the first hop spent opening its connection; `sentAt`: when it went out (the
   * deadline of the whole chain is --timeout after it). Credentials stay with their origin (redirects.ts).
   */
  private async chain(status: number, location: string, connectMs: number, sentAt: number): Promise<Outcome> {
    const follow = this.follow!;
    let {method, headers, body} = this.req;
    let from = this.url;
    let crossed = false;
    for (let hops = 0; ; hops++) {
      if (hops >= follow.maxRedirects) return failed('too_many_redirects', `more than ${follow.maxRedirects} redirects`);
      const next = nextHop(status, location, from, method);
      if (next instanceof Error) return failed('protocol', next.message);
      if (hops === 0) this.stats.redirected(firstHopName(this.origin, next.url));
      crossed ||= next.url.origin !== this.origin;
      headers = hopHeaders(headers, next, crossed, follow.strip);
      if (next.dropBody) body = undefined;
      method = next.method;
      const left = this.timeoutMs - (performance.now() - sentAt);
      if (left <= 0) return failed('timeout', failureMessage('timeout', undefined, this.timeoutMs));
      const res = await this.hop(next.url, method, headers, body, Math.ceil(left));
      connectMs += res.connectMs;
      if (res.error !== undefined) {
        const kind = classifyError(res.error);
        return failed(kind, failureMessage(kind, res.error, this.timeoutMs));
      }
      if (!isRedirect(res.status, res.location))
        return {status: res.status, endedAt: res.endedAt, connectMs, body: res.body, size: res.size};
      status = res.status;
      location = res.location;
      from = next.url.href;
    }
  }

  /** One hop: on the user's own connection when it stays on the origin, an h1 connection of its own to another http:// origin, else undici. */
  private hop(url: URL, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<HopResult> {
    const path = url.pathname + url.search;
    const isHead = method === 'HEAD';
    const bytes = url.protocol === 'http:' ? requestBytes(method, path, headers, body) : undefined;
    if (bytes !== undefined && url.origin === this.origin && this.raw) {
      const raw = this.raw;
      return new Promise((resolve) => {
        this.ownHop = (status, error) => resolve(hopResult(raw, status, error));
        raw.send(timeoutMs, bytes, isHead);
      });
    }
    const other = bytes !== undefined ? this.connectionTo(url.origin) : undefined;
    if (other) {
      return new Promise((resolve) => {
        other.then = (status, error) => resolve(hopResult(other.conn, status, error));
        other.conn.send(timeoutMs, bytes, isHead);
      });
    }
    return this.hopViaUndici(url.origin, path, method, headers, body, timeoutMs);
  }

  /** The user's connection to another http:// origin (made on first use); undefined when the h1 client cannot go there. */
  private connectionTo(origin: string): Elsewhere | undefined {
    let e = (this.elsewhere ??= new Map()).get(origin);
    if (e) return e;
    const at = plainHttp(origin);
    if (!at) return undefined;
    const made: Elsewhere = {
      conn: new H1Connection(
        at.host,
        at.port,
        EMPTY,
        false,
        (status, error) => {
          const then = made.then;
          made.then = undefined;
          then?.(status, error);
        },
        undefined,
        this.connects,
        this.follow!.pools.guard,
      ),
      then: undefined,
    };
    made.conn.wantLocation = true;
    this.elsewhere.set(origin, made);
    e = made;
    return e;
  }

  private async hopViaUndici(
    origin: string,
    path: string,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    timeoutMs: number,
  ): Promise<HopResult> {
    const deadline = performance.now() + timeoutMs;
    let stopWatch: (() => void) | undefined;
    try {
      loadUndici(); // a quick run over the h1 client has not loaded it: a redirect to https is the first to need it
      const pool = origin === this.origin && this.pool ? this.pool : this.follow!.pools.get(origin);
      const res = await pool.request({
        path,
        method: method as 'GET',
        headers,
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: preciseTimeout(timeoutMs),
      });
      const status = res.statusCode;
      if (timeoutMs >= 5000) stopWatch = bodyDeadline(res.body, deadline);
      let sample: {kept: Buffer; size: number} | undefined;
      try {
        sample = await readBodySized(res.body, status >= 400 ? BODY_SAMPLE_BYTES : 0);
      } catch (error) {
        if (!noBodyAfterAll(status, error)) throw error;
      }
      const location = res.headers.location;
      return {
        status,
        location: typeof location === 'string' ? location : undefined,
        body: status >= 400 ? sample?.kept : undefined,
        size: sample?.size,
        connectMs: 0,
        endedAt: performance.now(),
      };
    } catch (error) {
      return {status: 0, connectMs: 0, endedAt: 0, error};
    } finally {
      stopWatch?.();
    }
  }
}

/** A Content-Length header's number of bytes, when there is one. */
function contentLength(value: string | string[] | undefined): number | undefined {
  const n = typeof value === 'string' ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function failed(kind: FailureKind, message: string): Outcome {
  return {status: 0, endedAt: 0, connectMs: 0, kind, message};
}
