// The story a stress run tells, in a few lines: where throughput stopped rising (the knee), where the
// target broke (the breaking point), what caused it (the bottleneck) and what it hurt, what failed first,
// any outage, and whether it came back. Each line carries the figures behind it.
import {clock, formatDuration} from '../kernel/duration.js';
import type {StepSummary, Summary} from './summary.js';
import {signedPercent} from '../analysis/breaking-point.js';
import {describeKind, describeOutageRules} from '../analysis/outages.js';
import {count, ms, percent} from './format.js';

/** Steps of the climb: what the knee and breaking point are judged on (not the start, not recovery windows). */
const judged = (s: StepSummary) => s.kind !== 'recovery';

export const SETTLING_NOTE =
  "req/s and latency leave out each step's first interval (settling: users ramping, queues draining); requests and failures count all of it";

/** The step table: every request and failure of the run in exactly one row, and a total row that shows it. */
export function stepsTable(summary: Summary, table: (header: string[], rows: string[][]) => string): string {
  const bp = summary.breakingPoint;
  const note = (s: StepSummary): string => {
    const marks: string[] = [];
    if (s.step === bp.knee?.segment) marks.push('← knee');
    if (s.step === bp.broken?.segment) marks.push('← breaking point');
    if (s.step === bp.maxSustainable?.segment) marks.push('sustainable');
    if (bp.tooShort?.some((t) => t.segment === s.step)) marks.push('too short to judge the knee');
    if (s.kind === 'start') marks.push('before the plan, not judged');
    if (s.kind === 'recovery') marks.push('recovery window, not judged');
    return marks.join(', ');
  };
  const rows = summary.steps.map((s) => [
    String(s.step),
    s.label.slice(0, 32),
    s.users.toFixed(0),
    count(s.requests ?? 0),
    count(s.failures ?? 0),
    s.rps.toFixed(1),
    ms(s.latencyMs.p50),
    ms(s.latencyMs.p95),
    ms(s.latencyMs.p99),
    percent(s.failRate),
    Object.entries(s.failuresByKind)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 2)
      .map(([k, n]) => `${k} ${n}`)
      .join(', '),
    note(s),
  ]);
  const sum = (f: (s: StepSummary) => number) => summary.steps.reduce((n, s) => n + f(s), 0);
  rows.push([
    'total',
    '(= sum of the rows)',
    '',
    count(sum((s) => s.requests ?? 0)),
    count(sum((s) => s.failures ?? 0)),
    '',
    '',
    '',
    '',
    '',
    '',
    '',
  ]);
  return table(['#', 'step', 'users', 'requests', 'failures', 'req/s', 'p50', 'p95', 'p99', 'fail%', 'kinds', 'note'], rows);
}

const pad = (s: string) => s.padEnd(17);

/**
 * When the target was back, from the drop: and from when the load was back at the baseline, when brink took a while
 * to lower it (users stop at the spawn rate), so that its own ramp down is not read as the target's slowness.
 */
function afterTheDrop(afterMs: number, loweringMs: number | undefined): string {
  if (loweringMs === undefined) return `${formatDuration(afterMs)} after the load dropped`;
  const once =
    afterMs <= loweringMs
      ? 'by the time it was back at the baseline'
      : `${formatDuration(afterMs - loweringMs)} after it was back at the baseline`;
  return `${formatDuration(afterMs)} after the load began to drop: ${once} (users stop at the spawn rate: lowering it took ${formatDuration(loweringMs)})`;
}

/** A step's settled time in a sentence: 4 s, 14 s, 0.8 s. */
const seconds = (s: number) => `${s >= 10 ? Math.round(s) : Number(s.toFixed(1))} s`;

export function verdictLines(summary: Summary): string[] {
  const bp = summary.breakingPoint;
  const out: string[] = [];
  const climbing = summary.steps.filter(judged).length > 1;
  if (climbing) {
    const lastUsers = Math.max(0, ...summary.steps.filter(judged).map((s) => s.users));
    const short = bp.tooShort ?? [];
    const kneeUsers = Math.max(
      0,
      ...summary.steps.filter((s) => judged(s) && !short.some((t) => t.segment === s.step)).map((s) => s.users),
    );
    // A step cut short (by the stop, or by the next key) is named, so that "not reached" is not read as covering it.
    const unjudged = short.length
      ? `; ${short.map((t) => `step ${t.segment} (${t.users} users) held ${seconds(t.seconds)}, too short beside step ${t.against}'s ${seconds(t.againstSeconds)} to judge (req/s ${signedPercent(t.rpsGain)} for users ${signedPercent(t.usersGain)}, within its noise of ±${Math.round(t.noise * 100)} %)`).join('; ')}`
      : '';
    const k = bp.knee;
    out.push(
      k
        ? `${pad('knee')}at step ${k.segment} (${Math.round(k.users)} users, ${k.rps.toFixed(1)} req/s): throughput stopped rising with users (req/s ${signedPercent(k.rpsGain)} for users ${signedPercent(k.usersGain)}${k.against === k.segment - 1 ? '' : ` against step ${k.against}`}${k.short ? `; held only ${seconds(k.short.seconds)}, but short of the rule by more than its noise of ±${Math.round(k.short.noise * 100)} %` : ''})${unjudged}`
        : `${pad('knee')}not reached: req/s kept rising with users up to ${Math.round(kneeUsers)} users${unjudged}`,
    );
    out.push(
      bp.broken
        ? `${pad('breaking point')}at step ${bp.broken.segment} (${Math.round(bp.broken.users)} users): ${bp.broken.reason}`
        : `${pad('breaking point')}not reached: failures and p95 stayed within the rules up to ${Math.round(lastUsers)} users`,
    );
    if (bp.maxSustainable) {
      const m = bp.maxSustainable;
      const heldLonger = short.some((t) => t.users > m.users) ? 'held long enough to judge' : 'tried';
      const floor = bp.notReached ? ` (the most ${heldLonger}: a floor, not the limit)` : '';
      out.push(
        `${pad('sustainable')}${m.users} users · ${m.rps} req/s · ${m.failures === undefined ? '' : `${count(m.failures)} failures (${percent(m.failRate ?? 0)}) · `}step ${m.segment ?? '?'}${floor}`,
      );
    } else if (bp.knee || bp.broken) {
      out.push(
        `${pad('sustainable')}none: the first step already ${bp.broken?.segment === firstJudged(summary) ? 'broke the rules' : 'gained no throughput'}`,
      );
    }
    if (bp.bottleneck) {
      const b = bp.bottleneck;
      out.push(`${pad('bottleneck')}${b.endpoint}${b.confidence === 'close' ? ' (a close call)' : ''}: ${b.evidence}`);
    } else if (bp.bottleneckUnclear) {
      out.push(`${pad('bottleneck')}unclear: ${bp.bottleneckUnclear}`);
    }
    const [first, ...more] = bp.hurt ?? [];
    if (first) {
      const behind = bp.bottleneck ? `, queued behind ${bp.bottleneck.endpoint}` : '';
      const also = more.length ? `; also ${more.map((h) => `${h.endpoint} ×${h.factor}`).join(', ')}` : '';
      out.push(
        `${pad('hurt first')}${first.endpoint}  p95 ${ms(first.baselineP95)} → ${ms(first.p95)} (×${first.factor}) by step ${first.segment}${behind}${also}`,
      );
    } else if (bp.firstToDegrade) {
      const d = bp.firstToDegrade;
      out.push(
        `${pad('first to degrade')}${d.endpoint}  p95 ×${d.factor} vs baseline (${ms(d.baselineP95)} → ${ms(d.p95)}) at ${d.users} users`,
      );
    }
  }
  if (bp.firstToFail && (climbing || (summary.outages?.length ?? 0) > 0)) {
    const f = bp.firstToFail;
    const then = f.then
      ? `, then ${f.then.endpoint === f.endpoint ? '' : `${f.then.endpoint} `}${f.then.kind} at ${f.then.users} users`
      : '';
    out.push(`${pad('first to fail')}${f.endpoint}  ${f.kind} at ${f.users} users (${clock(f.atMs)})${then}`);
  }
  out.push(...outageLines(summary, climbing));
  const r = summary.recovery;
  if (r.state === 'recovered') {
    out.push(
      `${pad('recovery')}back to baseline (p95 ${ms(r.currentP95 ?? 0)} vs ${ms(r.baselineP95 ?? 0)}, failures ${((r.currentFailRate ?? 0) * 100).toFixed(1)} %) ${afterTheDrop(r.recoveredAfterMs ?? 0, r.loweringMs)}`,
    );
  } else if (r.state === 'not_recovered') {
    out.push(
      `${pad('recovery')}did NOT recover: p95 ${ms(r.currentP95 ?? 0)} vs baseline ${ms(r.baselineP95 ?? 0)}, failures ${((r.currentFailRate ?? 0) * 100).toFixed(1)} %`,
    );
  } else if (r.state === 'recovering') {
    out.push(`${pad('recovery')}still recovering when the run ended (p95 ${ms(r.currentP95 ?? 0)} vs baseline ${ms(r.baselineP95 ?? 0)})`);
  }
  if (out.length > 0)
    out.push(`${pad('rules')}${bp.rules}${(summary.outages?.length ?? 0) > 0 || climbing ? `; ${describeOutageRules()}` : ''}`);
  return out;
}

function firstJudged(summary: Summary): number | undefined {
  return summary.steps.find((s) => judged(s) && s.kind !== 'start')?.step;
}

/** Each outage, with its time, length and what the target answered; "none" beside a climb's verdict. */
function outageLines(summary: Summary, climbing: boolean): string[] {
  const outages = summary.outages ?? [];
  if (outages.length === 0) return climbing ? [`${pad('outages')}none`] : [];
  return outages.map((o, i) => {
    const span =
      o.toMs !== undefined
        ? `${clock(o.fromMs)}–${clock(o.toMs)} (${((o.toMs - o.fromMs) / 1000).toFixed(1)} s)`
        : `${clock(o.fromMs)}– (still going when the run ended)`;
    const kinds = Object.entries(o.failuresByKind)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 2)
      .map(([k, n]) => `${count(n)} × ${describeKind(k)}`)
      .join(', ');
    const what = o.stalled && o.failures === 0 ? 'no response at all' : kinds || 'failing';
    const succeeded = o.succeeded ?? Math.max(0, o.requests - o.failures);
    const ok = o.nothingSucceeded
      ? `, nothing succeeded${succeeded > 0 ? ` (${count(succeeded)} at its edges)` : ''}`
      : `, ${count(succeeded)} succeeded`;
    return `${pad(i === 0 ? 'outages' : '')}${span}: ${what}${ok}`;
  });
}
