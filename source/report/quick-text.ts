// Quick mode's summary as hey and oha print theirs, so their users read it without the docs: totals, the
// response-time histogram and distribution, status codes and errors. brink's own findings follow it.
import type {Summary} from './summary.js';
import {count} from './format.js';
import {describeKind} from '../analysis/outages.js';

const secs = (ms: number) => (ms / 1000).toFixed(4);
const BAR = '■';
const BAR_WIDTH = 40;

export function quickSummaryLines(summary: Summary): string[] {
  const t = summary.totals;
  const l = t.latencyMs;
  const seconds = summary.durationMs / 1000;
  const failedRequests = t.failures - t.dropped;
  const out = [
    'Summary:',
    `  Success rate:  ${t.requests > 0 ? (((t.requests - failedRequests) / t.requests) * 100).toFixed(2) : '0.00'}%`,
    `  Total:         ${seconds.toFixed(4)} secs`,
    `  Slowest:       ${secs(l.max)} secs`,
    `  Fastest:       ${secs(l.min ?? 0)} secs`,
    `  Average:       ${secs(l.mean)} secs`,
    `  Requests/sec:  ${(t.requests / Math.max(0.001, seconds)).toFixed(4)}`,
    '',
  ];
  const buckets = t.latencyBuckets ?? [];
  if (buckets.length > 0) {
    const top = Math.max(...buckets.map((b) => b.count));
    const width = Math.max(...buckets.map((b) => `[${b.count}]`.length));
    out.push('Response time histogram:');
    for (const b of buckets) {
      const bar = b.count === 0 ? '' : BAR.repeat(Math.max(1, Math.round((b.count / top) * BAR_WIDTH)));
      out.push(`  ${secs(b.upToMs)} ${`[${b.count}]`.padEnd(width)} |${bar}`);
    }
    out.push('');
  }
  if (t.requests > 0) {
    out.push('Response time distribution:');
    const points: Array<[string, number | undefined]> = [
      ['50.00', l.p50],
      ['75.00', l.p75],
      ['90.00', l.p90],
      ['95.00', l.p95],
      ['99.00', l.p99],
      ['99.90', l.p999],
      ['99.99', l.p9999],
    ];
    for (const [p, v] of points) if (v !== undefined) out.push(`  ${p}% in ${secs(v)} secs`);
    out.push('');
  }
  const codes = Object.entries(t.statusCodes ?? {}).sort((a, b) => b[1] - a[1]);
  if (codes.length > 0) {
    out.push('Status code distribution:');
    for (const [code, n] of codes) out.push(`  [${code}] ${count(n)} responses`);
    out.push('');
  }
  const errors = Object.entries(t.failuresByKind)
    .filter(([kind]) => !/^http_\d+$/.test(kind))
    .sort((a, b) => b[1] - a[1]);
  if (errors.length > 0) {
    out.push('Error distribution:');
    for (const [kind, n] of errors) out.push(`  [${count(n)}] ${describeKind(kind)} (${kind})`);
    out.push('');
  }
  return out;
}
