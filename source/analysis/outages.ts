// Outages: stretches of the run where the target failed, whatever the load did. Read off the per-interval
// series, so the live view (each interval) and the summary (the whole run) see the same outages.
import type {SeriesPoint} from '../engine/run-state.js';

export interface OutageRules {
  /** An interval fails when at least this share of its attempts failed… */
  readonly failRate: number;
  /** …and at least this many did (two 502s of three requests are not an outage)… */
  readonly minFailures: number;
  /** …or when every attempt failed in this many intervals in a row (a low-rate scenario against a dead target). */
  readonly allFailedIntervals: number;
  /** An outage ends at the first of this many intervals in a row that are good again. */
  readonly goodStreak: number;
  /**
   * Stalled: no response at all, requests in flight, for this many intervals in a row, where responses came at
   * `stallMinRps` or more before (a slow endpoint at a low rate is not a stall).
   */
  readonly stallIntervals: number;
  readonly stallMinRps: number;
}

export const DEFAULT_OUTAGE_RULES: OutageRules = {
  failRate: 0.5,
  minFailures: 5,
  allFailedIntervals: 2,
  goodStreak: 2,
  stallIntervals: 2,
  stallMinRps: 5,
};

export function describeOutageRules(r: OutageRules = DEFAULT_OUTAGE_RULES): string {
  return (
    `outage: an interval with ${Math.round(r.failRate * 100)} % or more of its requests failed (at least ${r.minFailures}), ` +
    `${r.allFailedIntervals}+ intervals in a row where every request failed, or ${r.stallIntervals}+ with requests in flight and no response at all; ` +
    `over at the first of ${r.goodStreak} good intervals in a row`
  );
}

export interface Outage {
  /** ms since the run started: the start of its first bad interval. */
  readonly fromMs: number;
  /** The start of the first good interval after it; absent when the run ended inside it. */
  readonly toMs?: number;
  readonly failures: number;
  readonly requests: number;
  readonly failuresByKind: Readonly<Record<string, number>>;
  /** Requests that succeeded within it (at its edges, mostly: its first and last intervals straddle its start and end). */
  readonly succeeded: number;
  /** No request succeeded in it, its edge intervals aside. */
  readonly nothingSucceeded: boolean;
  /** It began as a stall: no response at all, not failures. */
  readonly stalled: boolean;
}

/** `bad`: past the failure rule; `failed`: every attempt failed, too few to judge alone; `stalled`: nothing came back. */
type Verdict = 'bad' | 'failed' | 'stalled' | 'good' | 'idle';

function judge(p: SeriesPoint, prevRps: number, r: OutageRules): Verdict {
  const attempts = p.requests + p.dropped;
  if (attempts === 0) return (p.inFlight ?? 0) > 0 && prevRps >= r.stallMinRps ? 'stalled' : 'idle';
  if (p.failures >= r.minFailures && p.failures / attempts >= r.failRate) return 'bad';
  if (p.failures >= attempts) return 'failed';
  return 'good';
}

/** The outages of a series, oldest first; the last has no `toMs` when the series ends inside it. */
export function findOutages(series: ReadonlyArray<SeriesPoint>, rules: OutageRules = DEFAULT_OUTAGE_RULES): Outage[] {
  const out: Outage[] = [];
  let open: Open | undefined;
  /** `failed` intervals not yet part of an outage (one more makes it one). */
  let pending: SeriesPoint[] = [];
  let good = 0;
  let goodFromMs = 0;
  // Runs of intervals that start an outage only when long enough: where each began.
  let stall = 0;
  let stallFromMs = 0;
  let failed = 0;
  let failedFromMs = 0;
  // The last req/s seen before a quiet stretch: what a stall is measured against.
  let lastRps = 0;
  let prevT = 0;
  for (const p of series) {
    const startMs = Math.round(prevT * 1000);
    prevT = p.t;
    const v = judge(p, lastRps, rules);
    if (p.requests > 0) lastRps = p.rps;
    stall = v === 'stalled' ? stall + 1 : 0;
    if (stall === 1) stallFromMs = startMs;
    failed = v === 'failed' || v === 'bad' ? failed + 1 : 0;
    if (failed === 1) failedFromMs = startMs;
    if (!open && (v === 'bad' || failed >= rules.allFailedIntervals || stall >= rules.stallIntervals)) {
      const fromMs = v === 'bad' ? startMs : v === 'failed' ? failedFromMs : stallFromMs;
      open = {fromMs, failures: 0, requests: 0, ok: [], kinds: {}, stalled: v === 'stalled'};
      good = 0;
      // The runs that led up to it belong to it: their failures were tallied nowhere else.
      if (v === 'failed') for (const q of pending) tally(open, q);
    }
    pending = !open && v === 'failed' ? [...pending, p] : [];
    if (!open) continue;
    if (v === 'good') {
      if (good++ === 0) goodFromMs = startMs;
      if (good >= rules.goodStreak) {
        out.push(close(open, goodFromMs));
        open = undefined;
      }
      continue;
    }
    good = 0;
    tally(open, p);
  }
  if (open) out.push(close(open));
  return out;
}

interface Open {
  fromMs: number;
  failures: number;
  requests: number;
  ok: number[];
  kinds: Record<string, number>;
  stalled: boolean;
}

function tally(open: Open, p: SeriesPoint): void {
  open.failures += p.failures;
  open.requests += p.requests;
  open.ok.push(p.requests - Math.min(p.requests, p.failures));
  for (const [k, n] of Object.entries(p.failuresByKind)) open.kinds[k] = (open.kinds[k] ?? 0) + n;
}

function close(o: Open, toMs?: number): Outage {
  const succeeded = o.ok.reduce((a, b) => a + b, 0);
  // Its first and last intervals straddle the moments it began and ended: what succeeded there was before or after it.
  const middle = o.ok.length >= 3 ? o.ok.slice(1, toMs === undefined ? undefined : -1) : o.ok;
  return {
    fromMs: o.fromMs,
    ...(toMs !== undefined ? {toMs} : {}),
    failures: o.failures,
    requests: o.requests,
    failuresByKind: o.kinds,
    succeeded,
    nothingSucceeded: middle.every((n) => n === 0),
    stalled: o.stalled,
  };
}

/** What a failure kind means, for a sentence: "502 from the proxy", "connections refused". */
export function describeKind(kind: string): string {
  const named: Record<string, string> = {
    http_502: '502 from the proxy',
    http_503: '503 service unavailable',
    http_504: '504 gateway timeout',
    http_500: '500 server error',
    http_429: '429 too many requests',
    conn_refused: 'connections refused',
    conn_reset: 'connections reset',
    timeout: 'timeouts',
    socket_closed: 'connections closed early',
    dns: 'DNS failures',
    tls: 'TLS failures',
    protocol: 'HTTP protocol errors',
    h2_stream_reset: 'HTTP/2 streams reset',
    h2_protocol: 'HTTP/2 protocol errors',
    h2_goaway: 'requests lost to a GOAWAY',
    dropped: 'iterations dropped',
    blocked_host: 'requests held back from a public host',
    fd_limit: 'open-file limit reached',
    check: 'failed checks',
    ws_closed: 'WebSockets closed by the server',
    ws_timeout: 'WebSocket messages that never came',
    sse_closed: 'event streams ended by the server',
    sse_timeout: 'events that never came',
  };
  const handshake = /^ws_handshake_(\d+)$/.exec(kind);
  if (handshake) return `WebSocket handshakes refused (HTTP ${handshake[1]})`;
  return named[kind] ?? (/^http_(\d+)$/.exec(kind) ? `HTTP ${kind.slice(5)}` : kind);
}

/** The most frequent kind of a tally, or undefined when it is empty. */
export function dominantKind(kinds: Readonly<Record<string, number>>): string | undefined {
  let best: [string, number] | undefined;
  for (const [k, n] of Object.entries(kinds)) if (n > 0 && (!best || n > best[1])) best = [k, n];
  return best?.[0];
}
