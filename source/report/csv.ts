// CSV the way Locust writes it (`--csv prefix`), so spreadsheets and scripts made for Locust read brink's too:
// <prefix>_stats.csv, <prefix>_stats_history.csv and <prefix>_failures.csv. Locust's column names where the
// figure is the same; brink's extra figures in columns of their own at the end. Times in milliseconds.
import {stringify} from 'csv-stringify/sync';
import type {LatencyMs} from '../kernel/histogram.js';
import type {Summary} from './summary.js';

type Cell = string | number | undefined;

const PERCENTILES: ReadonlyArray<readonly [string, keyof LatencyMs]> = [
  ['50%', 'p50'],
  ['66%', 'p66'],
  ['75%', 'p75'],
  ['80%', 'p80'],
  ['90%', 'p90'],
  ['95%', 'p95'],
  ['98%', 'p98'],
  ['99%', 'p99'],
  ['99.9%', 'p999'],
  ['99.99%', 'p9999'],
  ['100%', 'max'],
];

const STATS_COLUMNS = [
  'Type',
  'Name',
  'Request Count',
  'Failure Count',
  'Median Response Time',
  'Average Response Time',
  'Min Response Time',
  'Max Response Time',
  'Requests/s',
  'Failures/s',
  ...PERCENTILES.map(([name]) => name),
];

const HISTORY_COLUMNS = [
  'Timestamp',
  'User Count',
  'Type',
  'Name',
  'Requests/s',
  'Failures/s',
  '50%',
  '95%',
  '99%',
  'Total Request Count',
  'Total Failure Count',
  'Elapsed (s)',
  'Target Users',
  'Failure Rate',
  'Dropped',
];

const FAILURE_COLUMNS = ['Method', 'Name', 'Kind', 'Error', 'Occurrences'];

function csv(columns: string[], rows: Cell[][]): string {
  return stringify(
    rows.map((r) => r.map((c) => (c === undefined ? '' : c))),
    {header: true, columns},
  );
}

const r2 = (n: number) => Math.round(n * 100) / 100;

/** Per endpoint, then `Aggregated` for the whole run. */
export function statsCsv(summary: Summary): string {
  const seconds = Math.max(0.001, summary.durationMs / 1000);
  const row = (type: string, name: string, requests: number, failures: number, l: LatencyMs): Cell[] => [
    type,
    name,
    requests,
    failures,
    l.p50,
    l.mean,
    l.min ?? (requests > 0 ? undefined : 0),
    l.max,
    r2(requests / seconds),
    r2(failures / seconds),
    ...PERCENTILES.map(([, key]) => l[key]),
  ];
  return csv(STATS_COLUMNS, [
    ...summary.endpoints.map((e) => row(e.method, e.name, e.requests, e.failures, e.latencyMs)),
    row('', 'Aggregated', summary.totals.requests, summary.totals.failures, summary.totals.latencyMs),
  ]);
}

/** A row per interval for each endpoint (as Locust's --csv-full-history), then `Aggregated`. */
export function historyCsv(summary: Summary): string {
  const start = Date.parse(summary.startedAt);
  const rows: Cell[][] = [];
  let totalRequests = 0;
  let totalFailures = 0;
  const n = summary.series.length;
  summary.series.forEach((p, i) => {
    totalRequests += p.requests;
    totalFailures += p.failures;
    const timestamp = Math.round((start + p.t * 1000) / 1000);
    for (const e of summary.endpoints) {
      const history = e.history ?? [];
      const h = history[i - (n - history.length)];
      if (!h) continue;
      rows.push([
        timestamp,
        p.users,
        e.method,
        e.name,
        h.rps,
        r2(h.rps * h.failRate),
        h.p50,
        h.p95,
        h.p99,
        undefined,
        undefined,
        p.t,
        p.targetUsers,
        h.failRate,
        undefined,
      ]);
    }
    rows.push([
      timestamp,
      p.users,
      '',
      'Aggregated',
      p.rps,
      r2(p.rps * p.failRate),
      p.p50,
      p.p95,
      p.p99,
      totalRequests,
      totalFailures,
      p.t,
      p.targetUsers,
      p.failRate,
      p.dropped,
    ]);
  });
  return csv(HISTORY_COLUMNS, rows);
}

/**
 * Per endpoint and failure kind, one row per distinct error message kept; when brink kept fewer
 * samples than there were failures of that kind, a last row holds the rest, so Occurrences add up to the counts.
 */
export function failuresCsv(summary: Summary): string {
  const rows: Cell[][] = [];
  for (const e of summary.endpoints) {
    const kinds = Object.entries(e.failuresByKind).sort((a, b) => b[1] - a[1]);
    for (const [kind, count] of kinds) {
      let sampled = 0;
      for (const s of e.errors.filter((x) => x.kind === kind)) {
        rows.push([e.method, e.name, kind, s.message, s.count]);
        sampled += s.count;
      }
      if (sampled < count) rows.push([e.method, e.name, kind, sampled === 0 ? kind : `${kind} (other messages)`, count - sampled]);
    }
  }
  return csv(FAILURE_COLUMNS, rows);
}

/** The three files a prefix stands for, each with its text. */
export function csvFiles(prefix: string, summary: Summary): Array<[file: string, text: string]> {
  return [
    [`${prefix}_stats.csv`, statsCsv(summary)],
    [`${prefix}_stats_history.csv`, historyCsv(summary)],
    [`${prefix}_failures.csv`, failuresCsv(summary)],
  ];
}
