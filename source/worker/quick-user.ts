// Quick mode's user: one request back to back on a kept-alive connection, no cookies, no think time.
// The hot path is kept bare (no URL parsing, no header merging per request): it is what sets brink's ceiling.
import {performance} from 'node:perf_hooks';
import type {Pool} from 'undici';
import {classifyError, errorMessage} from './classify.js';
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
  readonly done: Promise<void>;

  constructor(private readonly pool: Pool, private readonly req: QuickRequest, private readonly stats: EndpointStats) {
    this.done = this.run();
  }

  get stopping(): boolean {
    return this.stopRequested;
  }

  stop(): void {
    this.stopRequested = true;
  }

  private async run(): Promise<void> {
    const {pool, stats} = this;
    const options = {
      path: this.req.path,
      method: this.req.method as 'GET',
      headers: this.req.headers,
      body: this.req.body,
      headersTimeout: this.req.timeoutMs,
      bodyTimeout: this.req.timeoutMs,
    };
    while (!this.stopRequested) {
      const started = performance.now();
      this.inFlight = 1;
      try {
        const res = await pool.request(options);
        // dump() resolves even when the body fails (a reset after the headers): catch the error to count it.
        // Its default limit (128 KiB) destroys the connection for bigger bodies, so lift it.
        let bodyError: unknown;
        res.body.once('error', (error) => { bodyError = error; });
        await res.body.dump({limit: Number.MAX_SAFE_INTEGER});
        if (bodyError !== undefined) throw bodyError;
        const status = res.statusCode;
        stats.record((performance.now() - started) * 1000, status, status >= 400 ? `http_${status}` : undefined, status >= 400 ? `HTTP ${status}` : undefined);
      } catch (error) {
        stats.record((performance.now() - started) * 1000, 0, classifyError(error), errorMessage(error));
        // A refused or reset connection fails in microseconds: pause briefly rather than spin the CPU.
        await new Promise((r) => setTimeout(r, 10));
      } finally {
        this.inFlight = 0;
      }
    }
  }
}
