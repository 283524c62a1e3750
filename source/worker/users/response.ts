// The response a scenario sees. Its outcome is recorded when the task moves on (next request or task
// end), so `res.check(...)` right after the `await` still decides whether it counts as failed.
import {formField} from '../../scenario/html.js';
import type {Response as ScenarioResponse} from '../../scenario/types.js';
import type {EndpointStats} from '../recorder.js';
import {parseHeaders} from '../http/h1-text.js';
import type {Target} from '../http/paths.js';

type Headers = Record<string, string | string[] | undefined>;

export class BrinkResponse implements ScenarioResponse {
  /** The failure kind, if any; changes until the outcome is recorded. */
  kind: string | undefined;
  failure: string | undefined;
  private recorded = false;
  private textCache: string | undefined;
  /** The headers, or the raw head they are parsed from when first read (most scripts never read them). */
  private headerSource: Headers | string;

  constructor(
    readonly status: number,
    headers: Headers | string,
    private readonly target: Target,
    readonly elapsedMs: number,
    private readonly bodyBytes: Buffer,
    private readonly stats: EndpointStats,
    kind: string | undefined,
    failure: string | undefined,
    /** Open model: the latency from when the request went out (`elapsedMs` counts from when it was due). */
    private readonly sentMs?: number,
  ) {
    this.kind = kind;
    this.failure = failure;
    this.headerSource = headers;
  }

  /** Joined when asked for: most scripts never read it. */
  get url(): string {
    return this.target.origin + this.target.path;
  }

  get headers(): Headers {
    if (typeof this.headerSource === 'string') this.headerSource = parseHeaders(this.headerSource);
    return this.headerSource;
  }

  get failed(): boolean {
    return this.kind !== undefined;
  }

  text(): string {
    this.textCache ??= this.bodyBytes.toString('utf8');
    return this.textCache;
  }

  json<T = any>(): T {
    // No response at all: the transport failure is already counted, so the script's stumble is not.
    if (this.status === 0) throw Object.assign(new Error(`${this.stats.key} got no response (${this.kind})`), {brinkCounted: true});
    try {
      return JSON.parse(this.text()) as T;
    } catch {
      throw new Error(`response of ${this.stats.key} (status ${this.status}) is not JSON: ${JSON.stringify(this.text().slice(0, 80))}`);
    }
  }

  check(ok: unknown, reason = 'check failed'): boolean {
    if (!ok) this.fail(reason);
    return Boolean(ok);
  }

  fail(reason: string): void {
    if (this.kind !== undefined) return; // the first failure of a response is the one that counts
    this.kind = 'check';
    this.failure = reason;
    if (this.recorded) this.stats.fail('check', reason); // checked late: still counted
  }

  success(): void {
    if (!this.recorded) {
      this.kind = undefined;
      this.failure = undefined;
    }
  }

  formField(name: string): string | undefined {
    return formField(this.text(), name);
  }

  /** Records the outcome once; the latency was measured when the body ended. */
  record(): void {
    if (this.recorded) return;
    this.recorded = true;
    // A failed response's first bytes go with its error sample: what a 500 page says broke.
    this.stats.record(
      this.elapsedMs * 1000,
      this.status,
      this.kind,
      this.failure,
      this.kind !== undefined && this.status > 0 ? this.bodyBytes : undefined,
    );
    if (this.sentMs !== undefined) this.stats.recordUncorrected(this.sentMs * 1000);
  }
}
