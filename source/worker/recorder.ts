// Per-endpoint interval counters and latency histograms inside a worker. Recording is a map lookup,
// a histogram record and a few increments; snapshot() encodes, hands the interval over and resets.
import {createHistogram, encode, recordUs, type Histogram} from '../kernel/histogram.js';
import type {RequestBudget} from './request-budget.js';
import {
  BODY_SAMPLE_BYTES,
  OVERFLOW_NAME,
  type EndpointInterval,
  type ErrorSample,
  type ScriptError,
  type SocketGauge,
} from '../protocol/snapshot.js';

const MAX_ERROR_SAMPLES = 20;
/** Distinct redirect targets kept per endpoint and interval; the rest are counted, not named. */
const MAX_REDIRECT_TARGETS = 10;
/** Distinct script errors (task, place, message) kept per interval; the rest add to the count of the first. */
const MAX_SCRIPT_ERRORS = 50;

export class EndpointStats {
  requests = 0;
  failures = 0;
  readonly histogram: Histogram = createHistogram();
  /** Open model only: latency from when each request went out (see EndpointInterval.uncorrected). */
  private uncorrected: Histogram | undefined;
  statusCodes = new Map<number, number>();
  failuresByKind = new Map<string, number>();
  firstFailureAt = new Map<string, number>();
  errors = new Map<string, {kind: string; message: string; count: number; body?: string}>();
  private redirectCount = 0;
  /** Response body bytes received this interval. */
  bytes = 0;
  private redirectTargets: Map<string, number> | undefined;

  constructor(
    readonly key: string,
    readonly method: string,
    readonly name: string,
  ) {}

  /** Quick mode's `-n`: told of each request recorded. */
  budget: RequestBudget | undefined;
  /** The samples are gaps between a stream's events, not requests (EndpointInterval.gaps). */
  gaps = false;

  /** One finished request. `status` is 0 when no response came; `kind` is set when it failed. */
  record(latencyUs: number, status: number, kind?: string, message?: string, body?: Uint8Array): void {
    this.requests++;
    this.budget?.recorded();
    recordUs(this.histogram, latencyUs);
    if (status > 0) this.statusCodes.set(status, (this.statusCodes.get(status) ?? 0) + 1);
    if (kind !== undefined) this.fail(kind, message, body);
  }

  /** Open model: the same request's latency counted from when it went out rather than when it was due. */
  recordUncorrected(latencyUs: number): void {
    recordUs((this.uncorrected ??= createHistogram()), latencyUs);
  }

  /** The request was redirected; `to` is the first hop's target (path, or origin + path when it leaves the origin). */
  redirected(to: string): void {
    this.redirectCount++;
    const targets = (this.redirectTargets ??= new Map());
    if (targets.has(to) || targets.size < MAX_REDIRECT_TARGETS) targets.set(to, (targets.get(to) ?? 0) + 1);
  }

  /** A failure without a new request: a check made after the request was recorded. */
  fail(kind: string, message?: string, body?: Uint8Array): void {
    this.failures++;
    this.failuresByKind.set(kind, (this.failuresByKind.get(kind) ?? 0) + 1);
    if (!this.firstFailureAt.has(kind)) this.firstFailureAt.set(kind, Date.now());
    if (message !== undefined) {
      const id = `${kind}\u0000${message}`;
      const seen = this.errors.get(id);
      if (seen) seen.count++;
      else if (this.errors.size < MAX_ERROR_SAMPLES) this.errors.set(id, {kind, message, count: 1, ...bodySample(body)});
    }
  }

  take(): EndpointInterval {
    const out: EndpointInterval = {
      key: this.key,
      method: this.method,
      name: this.name,
      requests: this.requests,
      failures: this.failures,
      histogram: encode(this.histogram),
      statusCodes: Object.fromEntries(this.statusCodes),
      failuresByKind: Object.fromEntries(this.failuresByKind),
      firstFailureAt: Object.fromEntries(this.firstFailureAt),
      errors: [...this.errors.values()] as ErrorSample[],
      ...(this.uncorrected && this.uncorrected.totalCount > 0 ? {uncorrected: encode(this.uncorrected)} : {}),
      ...(this.bytes > 0 ? {bytes: this.bytes} : {}),
      ...(this.redirectCount > 0 ? {redirects: {count: this.redirectCount, to: Object.fromEntries(this.redirectTargets ?? [])}} : {}),
      ...(this.gaps ? {gaps: true as const} : {}),
    };
    this.requests = 0;
    this.failures = 0;
    this.histogram.reset();
    this.uncorrected?.reset();
    this.statusCodes.clear();
    this.failuresByKind.clear();
    this.firstFailureAt.clear();
    this.errors.clear();
    this.redirectCount = 0;
    this.bytes = 0;
    this.redirectTargets?.clear();
    return out;
  }
}

/** The start of a body as text a report can show: at most BODY_SAMPLE_BYTES, control characters as spaces. */
function bodySample(body: Uint8Array | undefined): {body?: string} {
  if (!body || body.length === 0) return {};
  const text = Buffer.from(body.buffer, body.byteOffset, Math.min(body.length, BODY_SAMPLE_BYTES))
    .toString('utf8')
    .replace(/\uFFFD+$/, '') // a multi-byte character cut in two
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim();
  return text ? {body: text} : {};
}

export class Recorder {
  private readonly endpoints = new Map<string, EndpointStats>();
  /** method → name → stats: found without building the key string, once a request. */
  private readonly byMethod = new Map<string, Map<string, EndpointStats>>();
  /** Name as the script wrote it → the stats it was last sent with (see named()). */
  private readonly byWrittenName = new Map<string, EndpointStats>();
  private readonly scriptErrors = new Map<string, {task: string; where?: string; message: string; count: number; firstAt: number}>();
  overflow = false;
  /** Warnings said (once each) and those not yet handed over. */
  private readonly warned = new Set<string>();
  private warnings: string[] = [];
  /** WebSockets and event streams open now (a gauge), and opened since the last snapshot; `ever`: any was opened. */
  private sockets = {open: 0, opened: 0, ever: false, peak: 0};

  constructor(private readonly maxEndpoints: number) {}

  /** A WebSocket or event stream opened (+1) or closed (-1). */
  socket(change: 1 | -1): void {
    this.sockets.open += change;
    if (change > 0) {
      this.sockets.opened++;
      this.sockets.ever = true;
      if (this.sockets.open > this.sockets.peak) this.sockets.peak = this.sockets.open;
    }
  }

  /** The sockets gauge for the snapshot, undefined in a worker that never opened one; the count opened starts again. */
  takeSockets(): SocketGauge | undefined {
    const {open, opened, ever, peak} = this.sockets;
    if (!ever) return undefined;
    this.sockets.opened = 0;
    this.sockets.peak = open;
    return {open, opened, peak};
  }

  endpoint(method: string, name: string): EndpointStats {
    let names = this.byMethod.get(method);
    const found = names?.get(name);
    if (found) return found;
    const key = `${method} ${name}`;
    if (this.endpoints.size >= this.maxEndpoints && method !== '*') {
      this.overflow = true;
      return this.endpoint('*', OVERFLOW_NAME);
    }
    const stats = new EndpointStats(key, method, name);
    this.endpoints.set(key, stats);
    if (!names) this.byMethod.set(method, (names = new Map()));
    names.set(name, stats);
    return stats;
  }

  /**
   * The endpoint of a request the script named: `normalise` turns the name as written into the endpoint's
   * name, once per name (scripts pass the same few names again and again).
   */
  named(method: string, name: string, normalise: (method: string, name: string) => string): EndpointStats {
    // One lookup by name: a name goes with one method nearly always (a name used with two makes this miss, no more).
    const found = this.byWrittenName.get(name);
    if (found !== undefined && found.method === method) return found;
    const stats = this.endpoint(method, normalise(method, name));
    // Names made per request (an id in the name) would grow the cache without end: past the cap, not cached.
    if (found !== undefined || this.byWrittenName.size < this.maxEndpoints) this.byWrittenName.set(name, stats);
    return stats;
  }

  /** A task threw (or outlived the task timeout): the scenario's fault, kept apart from the requests. */
  scriptError(task: string, where: string | undefined, message: string): void {
    const id = `${task}\u0000${where ?? ''}\u0000${message}`;
    const seen =
      this.scriptErrors.get(id) ?? (this.scriptErrors.size >= MAX_SCRIPT_ERRORS ? this.scriptErrors.values().next().value : undefined);
    if (seen) seen.count++;
    else this.scriptErrors.set(id, {task, ...(where ? {where} : {}), message, count: 1, firstAt: Date.now()});
  }

  /** A warning for the run's event log and summary, said once by this worker; `about`: what it is about (see warnedAbout). */
  warn(text: string, about = text): void {
    if (this.warned.has(about) || this.warned.size >= MAX_SCRIPT_ERRORS) return;
    this.warned.add(about);
    this.warnings.push(text);
  }

  /** Whether a warning about this was said already (or enough warnings were). */
  warnedAbout(about: string): boolean {
    return this.warned.has(about) || this.warned.size >= MAX_SCRIPT_ERRORS;
  }

  takeWarnings(): string[] {
    const out = this.warnings;
    this.warnings = [];
    return out;
  }

  /** The interval's endpoints that saw anything; all counters start again from zero. */
  take(): EndpointInterval[] {
    const out: EndpointInterval[] = [];
    for (const stats of this.endpoints.values()) {
      if (stats.requests > 0 || stats.failures > 0) out.push(stats.take());
    }
    return out;
  }

  /** The interval's script errors; empty afterwards. */
  takeScriptErrors(): ScriptError[] {
    if (this.scriptErrors.size === 0) return [];
    const out = [...this.scriptErrors.values()];
    this.scriptErrors.clear();
    return out;
  }
}
