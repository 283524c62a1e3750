// CSV exactly as Locust 2.x writes it with `--csv prefix` (locust/stats.py, StatsCSV), so the sheets and scripts
// users built for Locust read brink's: the same four files, column names, order, row order and number formats.
// brink's own figures go in files of their own (<prefix>_brink_*.csv), never in extra columns. Times in ms.
import {stringify} from 'csv-stringify/sync';
import type {LatencyMs} from '../kernel/histogram.js';
import type {Summary} from './summary.js';

type Cell = string | number;

/** Locust's PERCENTILES_TO_REPORT and how it heads them (get_readable_percentiles). */
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

export const STATS_COLUMNS = [
  'Type',
  'Name',
  'Request Count',
  'Failure Count',
  'Median Response Time',
  'Average Response Time',
  'Min Response Time',
  'Max Response Time',
  'Average Content Size',
  'Requests/s',
  'Failures/s',
  ...PERCENTILES.map(([name]) => name),
];

export const HISTORY_COLUMNS = [
  'Timestamp',
  'User Count',
  'Type',
  'Name',
  'Requests/s',
  'Failures/s',
  ...PERCENTILES.map(([name]) => name),
  'Total Request Count',
  'Total Failure Count',
  'Total Median Response Time',
  'Total Average Response Time',
  'Total Min Response Time',
  'Total Max Response Time',
  'Total Average Content Size',
];

export const FAILURES_COLUMNS = ['Method', 'Name', 'Error', 'Occurrences', 'First Seen', 'Last Seen'];
export const EXCEPTIONS_COLUMNS = ['Count', 'Message', 'Traceback', 'Nodes'];

/** A Python float as Locust's csv.writer prints it: `12.0` for a whole number, else the shortest repr. */
export function pyFloat(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

/** `f"{x:2f}"`: six decimals, as Locust writes a history row's rates. */
const sixDecimals = (n: number) => n.toFixed(6);

/** Locust's format_utc_timestamp: `2026-01-02T03:04:05Z`. */
const utc = (epochMs: number) => new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function csv(columns: string[], rows: Cell[][]): string {
  // Locust's csv.writer ends lines with \r\n.
  return stringify([columns, ...rows], {record_delimiter: 'windows'});
}

/** The percentile cells, or Locust's N/A when there was no request. */
const percentiles = (l: LatencyMs | undefined, requests: number): Cell[] =>
  requests > 0 && l ? PERCENTILES.map(([, key]) => Math.round(l[key] ?? 0)) : PERCENTILES.map(() => 'N/A');

/** Bytes of response bodies a request, on average (Locust's avg_content_length: 0 without requests). */
const contentSize = (bytes: number | undefined, requests: number): Cell => (requests > 0 ? pyFloat((bytes ?? 0) / requests) : 0);

/** Locust's sort_stats: entries by (name, method). */
function sorted(summary: Summary) {
  return [...summary.endpoints].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.method < b.method ? -1 : a.method > b.method ? 1 : 0,
  );
}

/** Per endpoint, then `Aggregated` (Type empty) for the whole run. */
export function statsCsv(summary: Summary): string {
  const seconds = Math.max(0.001, summary.durationMs / 1000);
  const row = (type: string, name: string, requests: number, failures: number, l: LatencyMs, bytes: number | undefined): Cell[] => [
    type,
    name,
    requests,
    failures,
    Math.round(l.p50),
    pyFloat(l.mean),
    requests > 0 ? pyFloat(l.min ?? 0) : 0,
    pyFloat(l.max),
    contentSize(bytes, requests),
    pyFloat(requests / seconds),
    pyFloat(failures / seconds),
    ...percentiles(l, requests),
  ];
  const t = summary.totals;
  const failedRequests = t.failures - t.dropped;
  const bytes = summary.endpoints.reduce((n, e) => n + (e.bytes ?? 0), 0);
  return csv(STATS_COLUMNS, [
    ...sorted(summary).map((e) => row(e.method, e.name, e.requests, e.failures, e.latencyMs, e.bytes)),
    row('', 'Aggregated', t.requests, failedRequests, t.latencyMs, bytes),
  ]);
}

/**
 * A row per interval for the whole run (`Aggregated`), as Locust writes by default: the rates now, the
 * percentiles and totals so far. With `fullHistory` (Locust's --csv-full-history) a row per endpoint first, with
 * the interval's own percentiles ("current", as Locust's are) and its totals so far.
 */
export function historyCsv(summary: Summary, fullHistory = false): string {
  const start = Date.parse(summary.startedAt);
  const rows: Cell[][] = [];
  let totalRequests = 0;
  let totalFailures = 0;
  const n = summary.series.length;
  const running = new Map<string, {requests: number; failures: number}>();
  summary.series.forEach((p, i) => {
    totalRequests += p.requests;
    totalFailures += p.failures - p.dropped;
    const timestamp = Math.floor((start + p.t * 1000) / 1000);
    if (fullHistory) {
      for (const e of sorted(summary)) {
        const history = e.history ?? [];
        const h = history[i - (n - history.length)];
        if (!h) continue;
        const seconds = Math.max(0.001, p.t - (summary.series[i - 1]?.t ?? 0));
        const so = running.get(`${e.method} ${e.name}`) ?? {requests: 0, failures: 0};
        so.requests += Math.round(h.rps * seconds);
        so.failures += Math.round(h.rps * seconds * h.failRate);
        running.set(`${e.method} ${e.name}`, so);
        const current = h.rps > 0 ? {p50: h.p50, p95: h.p95, p99: h.p99} : undefined;
        rows.push([
          timestamp,
          p.users,
          e.method,
          e.name,
          sixDecimals(h.rps),
          sixDecimals(h.rps * h.failRate),
          ...PERCENTILES.map(([, key]) => (current && key in current ? Math.round(current[key as 'p50']) : 'N/A')),
          so.requests,
          so.failures,
          Math.round(e.latencyMs.p50),
          pyFloat(e.latencyMs.mean),
          pyFloat(e.latencyMs.min ?? 0),
          pyFloat(e.latencyMs.max),
          contentSize(e.bytes, e.requests),
        ]);
      }
    }
    const c = p.cumulative;
    rows.push([
      timestamp,
      p.users,
      '',
      'Aggregated',
      sixDecimals(p.rps),
      sixDecimals(p.rps * p.failRate),
      ...percentiles(c, totalRequests),
      totalRequests,
      totalFailures,
      c ? Math.round(c.p50) : 0,
      c ? pyFloat(c.mean) : 0,
      c ? pyFloat(c.min ?? 0) : 0,
      c ? pyFloat(c.max) : 0,
      0,
    ]);
  });
  return csv(HISTORY_COLUMNS, rows);
}

/**
 * A row per endpoint and error message (Locust groups failures by their error), most frequent first. When brink
 * kept fewer samples than there were failures of a kind, a last row holds the rest, so Occurrences add up.
 */
export function failuresCsv(summary: Summary): string {
  const start = Date.parse(summary.startedAt);
  const rows: Cell[][] = [];
  for (const e of sorted(summary)) {
    for (const [kind, count] of Object.entries(e.failuresByKind).sort((a, b) => b[1] - a[1])) {
      const first = e.firstFailures[kind] ? utc(start + e.firstFailures[kind].atMs) : '';
      const last = e.lastFailures?.[kind] !== undefined ? utc(start + e.lastFailures[kind]) : first;
      let sampled = 0;
      for (const s of e.errors.filter((x) => x.kind === kind)) {
        rows.push([e.method, e.name, s.message, s.count, first, last]);
        sampled += s.count;
      }
      if (sampled < count) rows.push([e.method, e.name, sampled === 0 ? kind : `${kind} (other messages)`, count - sampled, first, last]);
    }
  }
  return csv(FAILURES_COLUMNS, rows);
}

/** The scenario's script errors, as Locust lists the exceptions its users raised: the place stands for the traceback. */
export function exceptionsCsv(summary: Summary): string {
  return csv(
    EXCEPTIONS_COLUMNS,
    (summary.scriptErrors ?? []).map((e) => [e.count, e.message, `${e.task}${e.where ? ` (${e.where})` : ''}`, 'local']),
  );
}

/** brink's failure kinds, per endpoint: what Locust's files have no column for. */
function kindsCsv(summary: Summary): string {
  const rows: Cell[][] = [];
  for (const e of sorted(summary)) for (const [kind, n] of Object.entries(e.failuresByKind)) rows.push([e.method, e.name, kind, n]);
  if (summary.totals.dropped > 0) rows.push(['', 'Aggregated', 'dropped', summary.totals.dropped]);
  return csv(['Method', 'Name', 'Kind', 'Count'], rows);
}

/** brink's per-interval figures beyond Locust's: elapsed time, target users, failure rate, dropped iterations. */
function brinkHistoryCsv(summary: Summary): string {
  const start = Date.parse(summary.startedAt);
  return csv(
    ['Timestamp', 'Elapsed (s)', 'User Count', 'Target Users', 'Requests/s', 'Failure Rate', 'Dropped', '50%', '95%', '99%'],
    summary.series.map((p) => [
      Math.floor((start + p.t * 1000) / 1000),
      p.t,
      p.users,
      p.targetUsers,
      p.rps,
      p.failRate,
      p.dropped,
      ...(p.requests > 0 ? [p.p50, p.p95, p.p99] : ['N/A', 'N/A', 'N/A']),
    ]),
  );
}

/** Locust's four files, then brink's two, each with its text. */
export function csvFiles(prefix: string, summary: Summary, fullHistory = false): Array<[file: string, text: string]> {
  return [
    [`${prefix}_stats.csv`, statsCsv(summary)],
    [`${prefix}_stats_history.csv`, historyCsv(summary, fullHistory)],
    [`${prefix}_failures.csv`, failuresCsv(summary)],
    [`${prefix}_exceptions.csv`, exceptionsCsv(summary)],
    [`${prefix}_brink_failure_kinds.csv`, kindsCsv(summary)],
    [`${prefix}_brink_history.csv`, brinkHistoryCsv(summary)],
  ];
}
