// Quick mode's user: one request back to back on a kept-alive connection, no cookies, no think time.
// The hot path is kept bare (no URL parsing, no header merging per request): it is what sets brink's ceiling.
// Against plain http:// targets each user owns one connection and writes a request prebuilt once as bytes,
// parsing the response just far enough to find its end (H1Connection, below): about 2× cheaper per
// request than undici's Pool.request (bench/ measures it). https and unusual headers go through undici.
import {performance} from 'node:perf_hooks';
import type {Pool} from 'undici';
import {classifyError, failureMessage} from '../http/classify.js';
import {bodyDeadline, preciseTimeout} from '../http/timeouts.js';
import {H1Connection, type FixedRequest} from '../http/h1-connection.js';
import {onNextTurn} from './next-turn.js';
import {noBodyAfterAll, readBody} from '../http/request-body.js';
import {BODY_SAMPLE_BYTES} from '../../protocol/snapshot.js';
import type {RateLimit} from '../http/rate-limit.js';
import type {EndpointStats} from '../recorder.js';
import type {ConnectTimes} from '../http/connect-times.js';
import type {HostGuard} from '../http/host-guard.js';

export interface QuickRequest extends FixedRequest {
  readonly timeoutMs: number;
  /** --max-rps: each request waits for a slot first. */
  readonly limit?: RateLimit;
}

export class QuickUser {
  inFlight = 0;
  private stopRequested = false;
  /** The run is ending: the worker closes every connection at once after the last response (see main.ts). */
  private keepConnection = false;
  private readonly options: Parameters<Pool['request']>[0];
  readonly done: Promise<void>;

  private readonly precise: boolean;
  private readonly timeoutMs: number;
  private readonly limit: RateLimit | undefined;

  /** The h1 client's connection; undefined: requests go through undici. */
  private readonly raw: H1Connection | undefined;
  private started = 0;
  /** Open model: when the request actually went out (`started` is when it was due). */
  private sentAt = 0;
  private finish: (() => void) | undefined;
  private iterationDone: (() => void) | undefined;

  /**
   * `pool`: undici's, for a request the h1 client does not carry (H1Connection.carries); undefined otherwise.
   * `open`: no loop of its own; an arrival scheduler calls `iterate` (open model). `guard`: the host guard its
   * connection is opened through (none with --yes).
   */
  constructor(
    origin: string,
    private readonly pool: Pool | undefined,
    req: QuickRequest,
    private readonly stats: EndpointStats,
    private readonly open = false,
    connects?: ConnectTimes,
    guard?: HostGuard,
  ) {
    this.timeoutMs = req.timeoutMs;
    this.limit = req.limit;
    this.precise = preciseTimeout(req.timeoutMs) !== undefined;
    this.options = {
      path: req.path,
      method: req.method as 'GET',
      headers: req.headers,
      body: req.body,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    };
    this.raw = H1Connection.for(origin, req, this.onRawDone, connects, guard);
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
  }

  /** Open model: one request whose latency counts from `dueAt` (performance.now() ms), not from when it went out. */
  async iterate(dueAt: number): Promise<void> {
    if (this.stopRequested) return;
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

  private end(): void {
    if (!this.keepConnection) this.raw?.close();
    this.finish?.();
  }

  /** An h1 request ended: a response with its status, or a failure without one. */
  private readonly onRawDone = (status: number, error: unknown): void => {
    this.inFlight--;
    const {stats} = this;
    if (error === undefined) {
      // From when the connection was up: opening it is counted apart (connect-times.ts).
      const raw = this.raw!;
      const latencyUs = (raw.endedAt - this.started - raw.connectMs) * 1000;
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
    if (this.open) {
      const done = this.iterationDone;
      this.iterationDone = undefined;
      if (this.stopRequested) this.end();
      done?.();
    } else if (this.stopRequested) this.end();
    // A refused or reset connection fails in microseconds: pause briefly rather than spin the CPU.
    else if (error !== undefined) setTimeout(() => this.next(), 10);
    // Sent in the loop's next turn, with the other users' (see next-turn.ts): a batch a turn, not a write a response.
    else onNextTurn(this.nextBound);
  };

  private readonly nextBound = (): void => this.next();

  private async run(): Promise<void> {
    while (!this.stopRequested) {
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
      const sample = status >= 400 ? await readBody(res.body, BODY_SAMPLE_BYTES) : undefined;
      if (!sample) await res.body.dump({limit: Number.MAX_SAFE_INTEGER});
      if (bodyError !== undefined && !noBodyAfterAll(status, bodyError)) throw bodyError;
      const now = performance.now();
      if (status < 400) stats.record((now - started) * 1000, status);
      else stats.record((now - started) * 1000, status, `http_${status}`, `HTTP ${status}`, sample);
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
}
