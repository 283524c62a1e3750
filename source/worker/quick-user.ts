// Quick mode's user: one request back to back on a kept-alive connection, no cookies, no think time.
// The hot path is kept bare (no URL parsing, no header merging per request): it is what sets brink's ceiling.
import {performance} from 'node:perf_hooks';
import type {Pool} from 'undici';
import {classifyError, errorMessage} from './classify.js';
import {preciseTimeout, timeoutMessage} from './timeouts.js';
import type {EndpointStats} from './recorder.js';

export interface QuickRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly timeoutMs: number;
}

export class QuickUser {
  inFlight = 0;
  private stopRequested = false;
  private readonly options: Parameters<Pool['request']>[0];
  readonly done: Promise<void>;

  /** `open`: no loop of its own; an arrival scheduler calls `iterate` (open model). */
  private readonly precise: boolean;
  private readonly timeoutMs: number;

  constructor(private readonly pool: Pool, req: QuickRequest, private readonly stats: EndpointStats, open = false) {
    this.timeoutMs = req.timeoutMs;
    this.precise = preciseTimeout(req.timeoutMs) !== undefined;
    this.options = {
      path: req.path,
      method: req.method as 'GET',
      headers: req.headers,
      body: req.body,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    };
    this.done = open ? Promise.resolve() : this.run();
  }

  get stopping(): boolean {
    return this.stopRequested;
  }

  stop(): void {
    this.stopRequested = true;
  }

  /** Open model: one request whose latency counts from `dueAt` (performance.now() ms), not from when it went out. */
  async iterate(dueAt: number): Promise<void> {
    if (!this.stopRequested) await this.send(Math.min(dueAt, performance.now()));
  }

  private async run(): Promise<void> {
    while (!this.stopRequested) {
      // A refused or reset connection fails in microseconds: pause briefly rather than spin the CPU.
      if (!(await this.send(performance.now()))) await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** One request; false when it failed without a response. */
  private async send(started: number): Promise<boolean> {
    const {stats} = this;
    this.inFlight++;
    try {
      const res = await this.pool.request(this.precise ? {...this.options, signal: preciseTimeout(this.timeoutMs)} : this.options);
      // dump() resolves even when the body fails (a reset after the headers): catch the error to count it.
      // Its default limit (128 KiB) destroys the connection for bigger bodies, so lift it.
      let bodyError: unknown;
      res.body.once('error', (error) => { bodyError = error; });
      await res.body.dump({limit: Number.MAX_SAFE_INTEGER});
      if (bodyError !== undefined) throw bodyError;
      const status = res.statusCode;
      stats.record((performance.now() - started) * 1000, status, status >= 400 ? `http_${status}` : undefined, status >= 400 ? `HTTP ${status}` : undefined);
      return true;
    } catch (error) {
      const kind = classifyError(error);
      stats.record((performance.now() - started) * 1000, 0, kind, kind === 'timeout' ? timeoutMessage(this.timeoutMs) : errorMessage(error));
      return false;
    } finally {
      this.inFlight--;
    }
  }
}
