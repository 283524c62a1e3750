// Where the target broke, from the per-stage segments. The rules are stated in `RULES` so that every
// report can print them: a verdict a user cannot check is worth little.
import type {EndpointState} from '../metrics/run-state.js';
import type {Segment} from '../metrics/segments.js';

export interface BreakingPointRules {
  /** The knee: a step whose requests/s rose by less than this share of its users' rise (0.25 = a quarter). */
  readonly kneeGainShare: number;
  /** Degraded: p95 above this multiple of the baseline's p95… */
  readonly p95Factor: number;
  /** …and at least this many ms above it (so 1 ms → 3 ms on loopback is not a verdict). */
  readonly p95FloorMs: number;
  /** Broken: failures above this rate (0..1). */
  readonly failRate: number;
  /** Segments with fewer requests are too thin to judge. */
  readonly minRequests: number;
  /** An endpoint's p95 over fewer requests than this in a step is its maximum, in effect: not judged. */
  readonly minEndpointRequests: number;
}

export const DEFAULT_RULES: BreakingPointRules = {kneeGainShare: 0.25, p95Factor: 3, p95FloorMs: 10, failRate: 0.01, minRequests: 20, minEndpointRequests: 20};

export function describeRules(r: BreakingPointRules = DEFAULT_RULES): string {
  return `knee: req/s rose by less than ${Math.round(r.kneeGainShare * 100)} % of the users' rise; broken: p95 above ${r.p95Factor}× the baseline (and +${r.p95FloorMs} ms) or failures above ${r.failRate * 100} %`;
}

export interface StepFigures {
  readonly segment: number;
  readonly label: string;
  readonly users: number;
  readonly rps: number;
  readonly p95: number;
  readonly failRate: number;
}

export interface BreakingPoint {
  readonly rules: string;
  /** The first step where throughput stopped rising with users. */
  readonly knee?: StepFigures & {readonly rpsGain: number; readonly usersGain: number};
  /** The first step that broke a criterion, and which. */
  readonly broken?: StepFigures & {readonly reason: string};
  /** The last step before the knee or the break: what the target sustains. */
  readonly maxSustainable?: {readonly users: number; readonly rps: number};
  /** True when neither knee nor break was reached: the figures are a floor, not the limit. */
  readonly notReached: boolean;
  readonly firstToDegrade?: {readonly endpoint: string; readonly users: number; readonly p95: number; readonly baselineP95: number; readonly factor: number; readonly segment: number};
  readonly firstToFail?: {readonly endpoint: string; readonly kind: string; readonly users: number; readonly atMs: number; readonly then?: {readonly endpoint: string; readonly kind: string; readonly users: number}};
}

/** A latency for a sentence: 344 ms, 12.3 ms, 1.23 ms (a histogram's 344.063 reads as noise there). */
const shortMs = (ms: number) => (ms >= 100 ? Math.round(ms) : Number(ms.toPrecision(3)));

const figures = (s: Segment): StepFigures => ({segment: s.index, label: s.label, users: s.users, rps: s.rps, p95: s.latencyMs.p95, failRate: s.failRate});

export function findBreakingPoint(segments: ReadonlyArray<Segment>, endpoints: ReadonlyArray<EndpointState>, rules: BreakingPointRules = DEFAULT_RULES): BreakingPoint {
  // Only the climb counts: each step with more users than any before it.
  const climb: Segment[] = [];
  for (const s of segments) {
    if (s.requests < rules.minRequests) continue;
    if (climb.length === 0 || s.users > climb[climb.length - 1].users * 1.02) climb.push(s);
  }
  const base = climb[0];
  let knee: BreakingPoint['knee'];
  let broken: BreakingPoint['broken'];
  let kneeAt = -1;
  let brokenAt = -1;
  for (let i = 0; i < climb.length; i++) {
    const s = climb[i];
    if (i > 0 && kneeAt < 0) {
      const prev = climb[i - 1];
      const usersGain = s.users / prev.users - 1;
      const rpsGain = prev.rps > 0 ? s.rps / prev.rps - 1 : 0;
      if (rpsGain < rules.kneeGainShare * usersGain) { knee = {...figures(s), rpsGain, usersGain}; kneeAt = i; }
    }
    if (brokenAt < 0 && base) {
      const limit = Math.max(base.latencyMs.p95 * rules.p95Factor, base.latencyMs.p95 + rules.p95FloorMs);
      if (s.failRate > rules.failRate) { broken = {...figures(s), reason: `failures ${(s.failRate * 100).toFixed(1)} % > ${rules.failRate * 100} %`}; brokenAt = i; }
      else if (i > 0 && s.latencyMs.p95 > limit) { broken = {...figures(s), reason: `p95 ${shortMs(s.latencyMs.p95)} ms > ${rules.p95Factor}× baseline ${shortMs(base.latencyMs.p95)} ms`}; brokenAt = i; }
    }
  }
  const first = [kneeAt, brokenAt].filter((i) => i >= 0).sort((a, b) => a - b)[0];
  const sustainable = first === undefined ? climb[climb.length - 1] : first > 0 ? climb[first - 1] : undefined;
  return {
    rules: describeRules(rules),
    knee,
    broken,
    maxSustainable: sustainable && {users: Math.round(sustainable.users), rps: Math.round(sustainable.rps * 10) / 10},
    notReached: first === undefined,
    firstToDegrade: firstToDegrade(climb, rules),
    firstToFail: firstToFail(endpoints),
  };
}

function firstToDegrade(climb: ReadonlyArray<Segment>, rules: BreakingPointRules): BreakingPoint['firstToDegrade'] {
  const baselines = new Map<string, number>();
  for (const s of climb) {
    let best: BreakingPoint['firstToDegrade'];
    for (const [key, e] of Object.entries(s.endpoints)) {
      if (e.requests < rules.minEndpointRequests) continue;
      const base = baselines.get(key);
      if (base === undefined) { baselines.set(key, e.p95); continue; }
      const limit = Math.max(base * rules.p95Factor, base + rules.p95FloorMs);
      if (e.p95 > limit) {
        const factor = base > 0 ? e.p95 / base : Infinity;
        if (!best || factor > best.factor) best = {endpoint: key, users: Math.round(s.users), p95: e.p95, baselineP95: base, factor: Math.round(factor * 10) / 10, segment: s.index};
      }
    }
    if (best) return best;
  }
  return undefined;
}

function firstToFail(endpoints: ReadonlyArray<EndpointState>): BreakingPoint['firstToFail'] {
  const all = endpoints.flatMap((e) => Object.entries(e.firstFailures).map(([kind, f]) => ({endpoint: e.key, kind, ...f})))
    .sort((a, b) => a.atMs - b.atMs);
  if (all.length === 0) return undefined;
  const [first] = all;
  const then = all.find((f) => f.kind !== first.kind || f.endpoint !== first.endpoint);
  return {...first, then: then && {endpoint: then.endpoint, kind: then.kind, users: then.users}};
}

/** `+12 %`, `-3 %`: how the verdicts print a change. */
export function signedPercent(fraction: number): string {
  const p = Math.round(fraction * 100);
  return `${p >= 0 ? '+' : ''}${p} %`;
}
