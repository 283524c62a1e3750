// The story a stress run tells, in a few lines: where it broke, what broke first, and whether it came back.
import {clock, formatDuration} from '../cli/duration.js';
import type {Summary} from './summary.js';
import {signedPercent} from '../analysis/breaking-point.js';
import {ms} from './text.js';

export function stepsTable(summary: Summary, table: (header: string[], rows: string[][]) => string): string {
  const rows = summary.steps.map((s) => [
    String(s.step), s.label.slice(0, 32), s.users.toFixed(0), s.rps.toFixed(1), ms(s.latencyMs.p50), ms(s.latencyMs.p95), ms(s.latencyMs.p99),
    `${(s.failRate * 100).toFixed(1)}%`, Object.entries(s.failuresByKind).sort((a, b) => b[1] - a[1]).slice(0, 2).map(([k, n]) => `${k} ${n}`).join(', '),
  ]);
  return table(['#', 'step', 'users', 'req/s', 'p50', 'p95', 'p99', 'fail%', 'failures'], rows);
}

export function verdictLines(summary: Summary): string[] {
  const bp = summary.breakingPoint;
  const out: string[] = [];
  const pad = (s: string) => s.padEnd(17);
  if (bp.maxSustainable) {
    const why: string[] = [];
    if (bp.knee) why.push(`req/s ${signedPercent(bp.knee.rpsGain)} for users ${signedPercent(bp.knee.usersGain)} at step ${bp.knee.segment}`);
    if (bp.broken) why.push(`${bp.broken.reason} at step ${bp.broken.segment}`);
    const head = bp.notReached ? `not reached: held ${bp.maxSustainable.users} users · ${bp.maxSustainable.rps} req/s` : `≈ ${bp.maxSustainable.users} users · ${bp.maxSustainable.rps} req/s`;
    out.push(`${pad('breaking point')}${head}${why.length ? `  (${why.join('; ')})` : ''}`);
  } else if (bp.broken || bp.knee) {
    out.push(`${pad('breaking point')}at the first step already (${bp.broken?.reason ?? 'no throughput gain'})`);
  }
  if (bp.firstToDegrade) {
    const d = bp.firstToDegrade;
    out.push(`${pad('first to degrade')}${d.endpoint}  p95 ×${d.factor} vs baseline (${ms(d.baselineP95)} → ${ms(d.p95)}) at ${d.users} users`);
  }
  if (bp.firstToFail) {
    const f = bp.firstToFail;
    const then = f.then ? `, then ${f.then.endpoint === f.endpoint ? '' : `${f.then.endpoint} `}${f.then.kind} at ${f.then.users} users` : '';
    out.push(`${pad('first to fail')}${f.endpoint}  ${f.kind} at ${f.users} users (${clock(f.atMs)})${then}`);
  }
  const r = summary.recovery;
  if (r.state === 'recovered') {
    out.push(`${pad('recovery')}back to baseline (p95 ${ms(r.currentP95 ?? 0)} vs ${ms(r.baselineP95 ?? 0)}, failures ${((r.currentFailRate ?? 0) * 100).toFixed(1)} %) ${formatDuration(r.recoveredAfterMs ?? 0)} after the load dropped`);
  } else if (r.state === 'not_recovered') {
    out.push(`${pad('recovery')}did NOT recover: p95 ${ms(r.currentP95 ?? 0)} vs baseline ${ms(r.baselineP95 ?? 0)}, failures ${((r.currentFailRate ?? 0) * 100).toFixed(1)} %`);
  } else if (r.state === 'recovering') {
    out.push(`${pad('recovery')}still recovering when the run ended (p95 ${ms(r.currentP95 ?? 0)} vs baseline ${ms(r.baselineP95 ?? 0)})`);
  }
  if (out.length > 0) out.push(`${pad('rules')}${bp.rules}`);
  return out;
}
