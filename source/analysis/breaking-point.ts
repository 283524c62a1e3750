// Where the target broke, from the per-stage segments. Two findings, never one under the other's name:
// the KNEE (throughput stopped rising with users) and the BREAKING POINT (failures or latency past the
// rule). Then what caused it, by the utilisation law: at the knee each endpoint's throughput × its
// service time is its share of the target's busy time; the biggest share is the bottleneck, and the
// endpoints whose latency rose most are what it hurt. The rules are stated in `describeRules` so that
// every report can print them: a verdict a user cannot check is worth little.
import type {EndpointState} from '../engine/run-state.js';
import type {Segment} from '../engine/segments.js';

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
  /** An endpoint's figures over fewer requests than this in a step are not judged (a p95 of 5 samples is its max). */
  readonly minEndpointRequests: number;
  /** The bottleneck is named outright when its share of busy time is at least this multiple of the next one's. */
  readonly bottleneckLead: number;
  /**
   * A median latency over this many requests in a step is enough to estimate a service time (a median settles far
   * sooner than a p95; the lightest step, the one that matters, often has few of the rarer requests).
   */
  readonly minServiceSamples: number;
  /**
   * A step whose settled part is shorter than this share of the step it would be set against (and than
   * `longEnoughMs`) is short: its req/s comes from a few seconds (a step cut short by the stop, or by the next key),
   * and is judged for the knee only when it falls short of the rule by more than `noiseFactor` × the counting noise
   * of the two steps' requests. Otherwise it is too short to judge. It is judged for the breaking point as any step
   * is: failures are failures.
   */
  readonly shortStepShare: number;
  /** A step held this long (settled, ms) is never short, whatever came before it (a long warm-up). */
  readonly longEnoughMs: number;
  /** How many times the counting noise, √(1/n₁ + 1/n₂) for steps of n₁ and n₂ settled requests, a short step's shortfall must exceed. */
  readonly noiseFactor: number;
}

export const DEFAULT_RULES: BreakingPointRules = {
  kneeGainShare: 0.25,
  p95Factor: 3,
  p95FloorMs: 10,
  failRate: 0.01,
  minRequests: 20,
  minEndpointRequests: 20,
  bottleneckLead: 1.5,
  minServiceSamples: 5,
  shortStepShare: 0.5,
  longEnoughMs: 10_000,
  noiseFactor: 2,
};

export function describeRules(r: BreakingPointRules = DEFAULT_RULES): string {
  return (
    `knee: req/s rose by less than ${Math.round(r.kneeGainShare * 100)} % of the users' rise ` +
    `(a step held under ${r.longEnoughMs / 1000} s and under ${Math.round(r.shortStepShare * 100)} % as long as the one it is set against ` +
    `is judged only when req/s falls short by more than ${r.noiseFactor}× the counting noise of its requests); ` +
    `breaking point: p95 above ${r.p95Factor}× the baseline (and +${r.p95FloorMs} ms) or failures above ${r.failRate * 100} %; ` +
    `bottleneck: the largest share of busy time at the knee, or at the breaking point when throughput never stopped rising ` +
    `(req/s × service time, the endpoint's lowest median latency on the way up)`
  );
}

export interface StepFigures {
  readonly segment: number;
  readonly label: string;
  readonly users: number;
  readonly rps: number;
  readonly p95: number;
  readonly failRate: number;
}

export interface Bottleneck {
  readonly endpoint: string;
  /** Its share of the busy time, 0..1. */
  readonly share: number;
  /** The figures behind it, in words a user can check. */
  readonly evidence: string;
  /**
   * `clear`: its share leads the next by the rule's margin; `close`: it leads, but not by much (the runner-up is
   * named in the evidence).
   */
  readonly confidence: 'clear' | 'close';
  /** Where it was judged: the knee, or the breaking point when throughput never stopped rising. */
  readonly at: 'knee' | 'breaking point';
  readonly segment: number;
  readonly rps: number;
  /** Its service time, ms: its lowest median latency in the steps up to `segment`. */
  readonly serviceMs: number;
  /** Busy time a second (s/s): this endpoint's, and all endpoints' together (about how many requests the target served at once). */
  readonly busy: number;
  readonly busyAll: number;
}

export interface ShortStep {
  readonly segment: number;
  readonly users: number;
  /** How long its settled part was (s); the step it would have been set against, and how long that one's was (s). */
  readonly seconds: number;
  readonly against: number;
  readonly againstSeconds: number;
  /** Its gains over that step, and the noise (a share, as the gains) a shortfall had to exceed to be judged. */
  readonly rpsGain: number;
  readonly usersGain: number;
  readonly noise: number;
}

export interface Hurt {
  readonly endpoint: string;
  readonly baselineP95: number;
  readonly p95: number;
  readonly factor: number;
  readonly segment: number;
  readonly users: number;
}

export interface BreakingPoint {
  readonly rules: string;
  /** Which findings the run reached. */
  readonly reached: 'knee' | 'breaking point' | 'both' | 'neither';
  /** The knee: the first step where throughput stopped rising with users. */
  readonly knee?: StepFigures & {
    readonly rpsGain: number;
    readonly usersGain: number;
    /** The step its gains are against: the last before it held long enough to judge. */
    readonly against: number;
    /** A short step (see the rules' shortStepShare) judged all the same: how long it was held (s), and the noise its shortfall exceeded. */
    readonly short?: {readonly seconds: number; readonly noise: number};
  };
  /** The breaking point: the first step that broke a rule, and which. */
  readonly broken?: StepFigures & {readonly reason: string};
  /** The last step before the knee or the break, within the rules: what the target sustains. */
  readonly maxSustainable?: {
    readonly users: number;
    readonly rps: number;
    readonly segment: number;
    readonly failures: number;
    readonly failRate: number;
  };
  /** Steps of the climb, up to the knee, too short beside the step each would be set against to judge (shortStepShare). */
  readonly tooShort?: ReadonlyArray<ShortStep>;
  /** True when neither knee nor break was reached: the figures are a floor, not the limit. */
  readonly notReached: boolean;
  /** What saturated the target, when the figures say so clearly enough. */
  readonly bottleneck?: Bottleneck;
  /** Why no bottleneck is named (one endpoint only, too few requests), when the knee or break was reached. */
  readonly bottleneckUnclear?: string;
  /** The endpoints whose p95 rose most by the knee (past the degradation rule), the bottleneck left out: queued behind it. */
  readonly hurt?: ReadonlyArray<Hurt>;
  readonly firstToDegrade?: {
    readonly endpoint: string;
    readonly users: number;
    readonly p95: number;
    readonly baselineP95: number;
    readonly factor: number;
    readonly segment: number;
  };
  readonly firstToFail?: {
    readonly endpoint: string;
    readonly kind: string;
    readonly users: number;
    readonly atMs: number;
    readonly then?: {readonly endpoint: string; readonly kind: string; readonly users: number};
  };
}

/** A latency for a sentence: 344 ms, 12.3 ms, 1.23 ms (a histogram's 344.063 reads as noise there). */
export const shortMs = (ms: number) => (ms >= 100 ? Math.round(ms) : Number(ms.toPrecision(3)));

const figures = (s: Segment): StepFigures => ({
  segment: s.index,
  label: s.label,
  users: s.users,
  rps: round(s.rps, 2),
  p95: s.latencyMs.p95,
  failRate: round(s.failRate, 4),
});

/** The steps of the climb: each (not a recovery window) with more users than any before it, and enough requests. */
export function climbOf(segments: ReadonlyArray<Segment>, rules: BreakingPointRules = DEFAULT_RULES): Segment[] {
  const climb: Segment[] = [];
  for (const s of segments) {
    if (s.kind === 'recovery' || s.requests < rules.minRequests) continue;
    if (climb.length === 0 || s.users > climb[climb.length - 1].users * 1.02) climb.push(s);
  }
  return climb;
}

export function findBreakingPoint(
  segments: ReadonlyArray<Segment>,
  endpoints: ReadonlyArray<EndpointState>,
  rules: BreakingPointRules = DEFAULT_RULES,
): BreakingPoint {
  const climb = climbOf(segments, rules);
  const base = climb[0];
  const limit = base ? Math.max(base.latencyMs.p95 * rules.p95Factor, base.latencyMs.p95 + rules.p95FloorMs) : Infinity;
  const breaks = (s: Segment, i: number): string | undefined =>
    s.failRate > rules.failRate
      ? `failures ${(s.failRate * 100).toFixed(1)} % > ${rules.failRate * 100} %`
      : i > 0 && s.latencyMs.p95 > limit
        ? `p95 ${shortMs(s.latencyMs.p95)} ms > ${rules.p95Factor}× baseline ${shortMs(base.latencyMs.p95)} ms`
        : undefined;
  let knee: BreakingPoint['knee'];
  let broken: BreakingPoint['broken'];
  let kneeAt = -1;
  let brokenAt = -1;
  const tooShort: ShortStep[] = [];
  // The step a step's req/s is set against: the last one before it held long enough to judge.
  let last = 0;
  for (let i = 0; i < climb.length; i++) {
    const s = climb[i];
    if (i > 0 && kneeAt < 0) {
      const prev = climb[last];
      const held = settledMs(s);
      const usersGain = s.users / prev.users - 1;
      const rpsGain = prev.rps > 0 ? s.rps / prev.rps - 1 : 0;
      // > 0: req/s rose by less than the rule asks for the users' rise.
      const shortfall = rules.kneeGainShare * usersGain - rpsGain;
      const short = held < rules.longEnoughMs && held < rules.shortStepShare * settledMs(prev);
      const noise = short ? rules.noiseFactor * countingNoise(s, prev) : 0;
      if (short && shortfall <= noise) {
        tooShort.push({
          segment: s.index,
          users: Math.round(s.users),
          seconds: held / 1000,
          against: prev.index,
          againstSeconds: settledMs(prev) / 1000,
          rpsGain,
          usersGain,
          noise,
        });
      } else {
        last = i;
        if (shortfall > 0) {
          knee = {...figures(s), rpsGain, usersGain, against: prev.index, ...(short ? {short: {seconds: held / 1000, noise}} : {})};
          kneeAt = i;
        }
      }
    }
    const reason = brokenAt < 0 ? breaks(s, i) : undefined;
    if (reason) {
      broken = {...figures(s), reason};
      brokenAt = i;
    }
  }
  const first = [kneeAt, brokenAt].filter((i) => i >= 0).sort((a, b) => a - b)[0];
  // The last step before the first finding that keeps within the rules (failures over the whole step, transition
  // included), and was held long enough to judge: a few seconds at a level say little of what the target sustains.
  const judgeable = (s: Segment) => !tooShort.some((t) => t.segment === s.index);
  let sustainable: Segment | undefined;
  for (let i = (first ?? climb.length) - 1; i >= 0 && !sustainable; i--)
    if (!breaks(climb[i], i) && judgeable(climb[i])) sustainable = climb[i];
  // The bottleneck is judged where the target saturated: the knee; or the break when throughput never stopped rising.
  const judgedAt = kneeAt >= 0 ? kneeAt : brokenAt;
  const cause = judgedAt >= 0 ? attribute(climb, judgedAt, kneeAt >= 0 ? 'knee' : 'breaking point', rules) : {};
  return {
    rules: describeRules(rules),
    reached: knee && broken ? 'both' : knee ? 'knee' : broken ? 'breaking point' : 'neither',
    knee,
    broken,
    maxSustainable: sustainable && {
      users: Math.round(sustainable.users),
      rps: Math.round(sustainable.rps * 10) / 10,
      segment: sustainable.index,
      failures: sustainable.failures,
      failRate: sustainable.failRate,
    },
    tooShort: tooShort.length > 0 ? tooShort : undefined,
    notReached: first === undefined,
    ...cause,
    firstToDegrade: firstToDegrade(climb, rules),
    firstToFail: firstToFail(endpoints),
  };
}

/** How long a step's settled part lasted (its req/s and latency come from it), ms. */
const settledMs = (s: Segment) => s.toMs - s.settledFromMs;

/**
 * The relative noise of the ratio of two steps' req/s from counting alone: √(1/n₁ + 1/n₂) over their settled
 * requests. A floor on the true noise (users logging in, a GC pause, the target's own jitter add to it), so a
 * shortfall beyond a multiple of it is there in the figures, not in how few requests they came from.
 */
function countingNoise(a: Segment, b: Segment): number {
  const n = (s: Segment) => Math.max(1, (s.rps * settledMs(s)) / 1000);
  return Math.sqrt(1 / n(a) + 1 / n(b));
}

interface Work {
  readonly endpoint: string;
  readonly rps: number;
  readonly serviceMs: number;
  readonly serviceStep: number;
  readonly busy: number;
  readonly requests: number;
}

/**
 * The utilisation law at step `at` of the climb: an endpoint keeps the target busy its throughput × its service
 * time. The service time is estimated as the endpoint's lowest median latency in the steps up to `at`: at light
 * load a request is served, not queued, and the median leaves out the few that did queue (a mean did not: one
 * order in five waiting for the lock at 6 users read as a service time twice the truth); the biggest busy share is
 * the bottleneck. The endpoints whose p95 rose most from their lightest step are what it hurt: cheap requests
 * queue behind expensive ones and look worst.
 */
function attribute(
  climb: ReadonlyArray<Segment>,
  at: number,
  word: 'knee' | 'breaking point',
  rules: BreakingPointRules,
): Pick<BreakingPoint, 'bottleneck' | 'bottleneckUnclear' | 'hurt'> {
  const step = climb[at];
  const service = new Map<string, {ms: number; step: number}>();
  const baseP95 = new Map<string, number>();
  for (const s of climb.slice(0, at + 1)) {
    for (const [key, e] of Object.entries(s.endpoints)) {
      const seen = service.get(key);
      if (e.requests >= rules.minServiceSamples && e.p50 > 0 && (!seen || e.p50 < seen.ms)) service.set(key, {ms: e.p50, step: s.index});
      if (e.requests >= rules.minEndpointRequests && !baseP95.has(key)) baseP95.set(key, e.p95);
    }
  }
  const work: Work[] = [];
  for (const [endpoint, e] of Object.entries(step.endpoints)) {
    const d = service.get(endpoint);
    if (d && e.rps > 0)
      work.push({endpoint, rps: e.rps, serviceMs: d.ms, serviceStep: d.step, busy: (e.rps * d.ms) / 1000, requests: e.requests});
  }
  work.sort((a, b) => b.busy - a.busy);
  const busyAll = work.reduce((n, w) => n + w.busy, 0);
  const [top, next] = work;
  let bottleneck: Bottleneck | undefined;
  let bottleneckUnclear: string | undefined;
  const where = `the ${word} (step ${step.index}, ${Math.round(step.users)} users)`;
  if (!top || busyAll <= 0)
    bottleneckUnclear = `too few requests per endpoint at ${where} to estimate service times (fewer than ${rules.minEndpointRequests} each)`;
  else if (!next)
    bottleneckUnclear = `only one endpoint (${top.endpoint}) had enough traffic at ${where}: nothing to tell a bottleneck apart from what it hurts`;
  else if (top.requests < rules.minEndpointRequests)
    bottleneckUnclear = `${top.endpoint} had the largest share of busy time at ${where}, but only ${top.requests} requests there: too few to name it`;
  else {
    const share = top.busy / busyAll;
    const clear = top.busy >= rules.bottleneckLead * next.busy;
    const others = work.slice(1);
    const rest = others.reduce((n, w) => n + w.busy, 0) / busyAll;
    bottleneck = {
      endpoint: top.endpoint,
      share,
      confidence: clear ? 'clear' : 'close',
      at: word,
      segment: step.index,
      rps: round(top.rps, 1),
      serviceMs: round(top.serviceMs, 2),
      busy: round(top.busy, 3),
      busyAll: round(busyAll, 3),
      evidence:
        `≈ ${pct(share)} of busy time at ${where}: ${num(top.rps)} req/s × ${shortMs(top.serviceMs)} ms` +
        ` (its service time: median latency at step ${top.serviceStep}) = ${num(top.busy, 2)} s of work a second, of ${num(busyAll, 2)} s for all endpoints;` +
        (clear ? ` every other endpoint together ≈ ${pct(rest)}` : ` close: ${next.endpoint} ≈ ${pct(next.busy / busyAll)}`),
    };
  }
  const hurt: Hurt[] = [];
  for (const [endpoint, e] of Object.entries(step.endpoints)) {
    const baseline = baseP95.get(endpoint);
    if (endpoint === bottleneck?.endpoint || baseline === undefined || e.requests < rules.minEndpointRequests) continue;
    if (e.p95 > Math.max(baseline * rules.p95Factor, baseline + rules.p95FloorMs)) {
      hurt.push({
        endpoint,
        baselineP95: baseline,
        p95: e.p95,
        factor: round(baseline > 0 ? e.p95 / baseline : Infinity, 1),
        segment: step.index,
        users: Math.round(step.users),
      });
    }
  }
  hurt.sort((a, b) => b.factor - a.factor);
  return {bottleneck, bottleneckUnclear, hurt: hurt.slice(0, 3)};
}

function firstToDegrade(climb: ReadonlyArray<Segment>, rules: BreakingPointRules): BreakingPoint['firstToDegrade'] {
  const baselines = new Map<string, number>();
  for (const s of climb) {
    let best: BreakingPoint['firstToDegrade'];
    for (const [key, e] of Object.entries(s.endpoints)) {
      if (e.requests < rules.minEndpointRequests) continue;
      const base = baselines.get(key);
      if (base === undefined) {
        baselines.set(key, e.p95);
        continue;
      }
      const limit = Math.max(base * rules.p95Factor, base + rules.p95FloorMs);
      if (e.p95 > limit) {
        const factor = base > 0 ? e.p95 / base : Infinity;
        if (!best || factor > best.factor)
          best = {
            endpoint: key,
            users: Math.round(s.users),
            p95: e.p95,
            baselineP95: base,
            factor: Math.round(factor * 10) / 10,
            segment: s.index,
          };
      }
    }
    if (best) return best;
  }
  return undefined;
}

function firstToFail(endpoints: ReadonlyArray<EndpointState>): BreakingPoint['firstToFail'] {
  const all = endpoints
    .flatMap((e) => Object.entries(e.firstFailures).map(([kind, f]) => ({endpoint: e.key, kind, ...f})))
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

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const pct = (fraction: number) => `${Math.round(fraction * 100)} %`;
/** 33, 4.2, 0.69: a figure in a sentence, to two or three significant digits. */
const num = (n: number, digits = 1) => (n >= 100 ? String(Math.round(n)) : String(Number(n.toFixed(n >= 10 ? 0 : digits))));
