// `brink compare old.json new.json`: per endpoint, how p50/p95/p99, requests/s and the failure rate moved between
// two runs, with every move beyond the tolerance in the worse direction called a regression (exit 3, for CI).
import {readFileSync} from 'node:fs';
import type {Summary} from './summary.js';
import {UsageError} from '../kernel/errors.js';
import {table} from './text.js';
import {ms} from './format.js';
import {redactDeep} from '../kernel/redact.js';
import {EXIT} from '../kernel/errors.js';

/** Exit code when a regression exceeds the tolerance (0: none; 1: brink failed; 2: bad usage or unreadable file). */
export const EXIT_REGRESSION = EXIT.regression;

/** Changes smaller than these are noise, whatever the percentage: 1 ms of latency, 0.1 point of failure rate. */
export const LATENCY_FLOOR_MS = 1;
export const FAIL_RATE_FLOOR = 0.001;
/** An endpoint with fewer requests than this in either run is shown but not judged. */
export const MIN_REQUESTS = 20;

export type Metric = 'p50' | 'p95' | 'p99' | 'rps' | 'failRate';
const METRICS: ReadonlyArray<Metric> = ['p50', 'p95', 'p99', 'rps', 'failRate'];

export interface Delta {
  readonly metric: Metric;
  readonly old: number;
  readonly new: number;
  /** Relative change (0.1 = +10 %); for the failure rate, the change in points (0.01 = +1 point). */
  readonly change: number;
  readonly regression: boolean;
  readonly improvement: boolean;
}

export interface EndpointComparison {
  /** `METHOD name`, or `All` for the whole run. */
  readonly endpoint: string;
  readonly judged: boolean;
  readonly deltas: ReadonlyArray<Delta>;
}

export interface Comparison {
  readonly tolerance: number;
  readonly total: EndpointComparison;
  readonly endpoints: ReadonlyArray<EndpointComparison>;
  readonly onlyOld: ReadonlyArray<string>;
  readonly onlyNew: ReadonlyArray<string>;
  /** Differences between the runs that make the deltas less comparable. */
  readonly notes: ReadonlyArray<string>;
  readonly regressions: ReadonlyArray<{readonly endpoint: string; readonly delta: Delta}>;
}

interface Figures {
  readonly requests: number;
  readonly failures: number;
  readonly rps: number;
  readonly latencyMs: {readonly p50: number; readonly p95: number; readonly p99: number};
}

function delta(metric: Metric, a: Figures, b: Figures, tolerance: number, judged: boolean): Delta {
  const value = (f: Figures) =>
    metric === 'rps' ? f.rps : metric === 'failRate' ? (f.requests ? f.failures / f.requests : 0) : f.latencyMs[metric];
  const [o, n] = [value(a), value(b)];
  let change: number;
  let worse: boolean;
  let better: boolean;
  if (metric === 'failRate') {
    change = n - o;
    worse = n > o * (1 + tolerance) && change >= FAIL_RATE_FLOOR;
    better = n < o * (1 - tolerance) && -change >= FAIL_RATE_FLOOR;
  } else {
    change = o > 0 ? n / o - 1 : n > 0 ? Infinity : 0;
    if (metric === 'rps') {
      worse = n < o * (1 - tolerance);
      better = n > o * (1 + tolerance);
    } else {
      worse = n > o * (1 + tolerance) && n - o >= LATENCY_FLOOR_MS;
      better = n < o * (1 - tolerance) && o - n >= LATENCY_FLOOR_MS;
    }
  }
  return {metric, old: o, new: n, change, regression: judged && worse, improvement: judged && better};
}

function compareFigures(endpoint: string, a: Figures, b: Figures, tolerance: number): EndpointComparison {
  const judged = a.requests >= MIN_REQUESTS && b.requests >= MIN_REQUESTS;
  return {endpoint, judged, deltas: METRICS.map((m) => delta(m, a, b, tolerance, judged))};
}

const key = (e: {method: string; name: string}) => `${e.method} ${e.name}`;

export function compareSummaries(a: Summary, b: Summary, tolerance: number): Comparison {
  const olds = new Map(a.endpoints.map((e) => [key(e), e]));
  const news = new Map(b.endpoints.map((e) => [key(e), e]));
  const total = compareFigures('All', a.totals, b.totals, tolerance);
  const endpoints = b.endpoints.filter((e) => olds.has(key(e))).map((e) => compareFigures(key(e), olds.get(key(e))!, e, tolerance));
  const notes: string[] = [];
  if (a.plan !== b.plan) notes.push(`the load plans differ (old: ${a.plan}; new: ${b.plan}): the deltas compare different loads`);
  else if (a.peakUsers !== b.peakUsers) notes.push(`peak users differ (old ${a.peakUsers}, new ${b.peakUsers})`);
  if (a.target !== b.target) notes.push(`the targets differ (old ${a.target}, new ${b.target})`);
  if (a.interrupted || b.interrupted)
    notes.push(`${a.interrupted && b.interrupted ? 'both runs were' : a.interrupted ? 'the old run was' : 'the new run was'} interrupted`);
  const unjudged = [total, ...endpoints].filter((c) => !c.judged).map((c) => c.endpoint);
  if (unjudged.length > 0) notes.push(`not judged, fewer than ${MIN_REQUESTS} requests in a run: ${unjudged.join(', ')}`);
  const regressions = [total, ...endpoints].flatMap((c) =>
    c.deltas.filter((d) => d.regression).map((d) => ({endpoint: c.endpoint, delta: d})),
  );
  return {
    tolerance,
    total,
    endpoints,
    onlyOld: a.endpoints.filter((e) => !news.has(key(e))).map(key),
    onlyNew: b.endpoints.filter((e) => !olds.has(key(e))).map(key),
    notes,
    regressions,
  };
}

const LABELS: Record<Metric, string> = {p50: 'p50', p95: 'p95', p99: 'p99', rps: 'req/s', failRate: 'fail %'};

function formatValue(metric: Metric, v: number): string {
  if (metric === 'rps') return v.toFixed(1);
  if (metric === 'failRate') return `${(v * 100).toFixed(1)}%`;
  return ms(v);
}

function formatChange(d: Delta): string {
  if (d.metric === 'failRate') return `${d.change >= 0 ? '+' : '−'}${Math.abs(d.change * 100).toFixed(1)}pt`;
  if (!Number.isFinite(d.change)) return 'new';
  const p = d.change * 100;
  return `${p >= 0 ? '+' : '−'}${Math.abs(p) < 10 ? Math.abs(p).toFixed(1) : Math.abs(p).toFixed(0)}%`;
}

const percentText = (fraction: number) => `${+(fraction * 100).toFixed(2)} %`;

/** The comparison as the terminal shows it: a row per endpoint, `!` on each regression, then the list. */
export function comparisonText(c: Comparison, oldName: string, newName: string): string {
  const out: string[] = [];
  out.push(`brink compare · ${oldName} → ${newName} · tolerance ${percentText(c.tolerance)}`, '');
  const row = (e: EndpointComparison) => [
    e.endpoint.slice(0, 60) + (e.judged ? '' : ' *'),
    ...e.deltas.map((d) => `${formatValue(d.metric, d.new)} ${formatChange(d)}${d.regression ? ' !' : '  '}`),
  ];
  out.push(table(['endpoint', ...METRICS.map((m) => `${LABELS[m]}   `)], [row(c.total), ...c.endpoints.map(row)]));
  out.push(
    '',
    `each cell: the new value and its change from the old run; ! a regression beyond ${percentText(c.tolerance)}${[c.total, ...c.endpoints].some((e) => !e.judged) ? '; * too few requests to judge' : ''}`,
  );
  if (c.onlyOld.length > 0) out.push('', `missing in ${newName} (only in ${oldName}):`, ...c.onlyOld.map((e) => `  - ${e}`));
  if (c.onlyNew.length > 0) out.push('', `new in ${newName} (not in ${oldName}):`, ...c.onlyNew.map((e) => `  + ${e}`));
  if (c.notes.length > 0) out.push('', ...c.notes.map((n) => `note: ${n}`));
  out.push('');
  if (c.regressions.length === 0) out.push(`no regression beyond ${percentText(c.tolerance)}`);
  else {
    out.push(`${c.regressions.length} regression${c.regressions.length === 1 ? '' : 's'} beyond ${percentText(c.tolerance)}:`);
    const byEndpoint = new Map<string, Delta[]>();
    for (const {endpoint, delta: d} of c.regressions) byEndpoint.set(endpoint, [...(byEndpoint.get(endpoint) ?? []), d]);
    for (const [endpoint, deltas] of byEndpoint) {
      out.push(
        `  ${endpoint}: ${deltas.map((d) => `${LABELS[d.metric]} ${formatValue(d.metric, d.old)} → ${formatValue(d.metric, d.new)} (${formatChange(d)})`).join(', ')}`,
      );
    }
  }
  return out.join('\n');
}

/** Reads a summary written by `--json`; a file that is not one is a usage error naming it. */
export function readSummary(file: string): Summary {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'BRINK_E_COMPARE');
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}`, 'BRINK_E_COMPARE');
  }
  const s = data as Partial<Summary> | null;
  if (!s || typeof s !== 'object' || !Array.isArray(s.endpoints) || !s.totals || typeof s.totals.requests !== 'number') {
    throw new UsageError(`${file} is not a brink summary (write one with --json <file>)`, 'BRINK_E_COMPARE');
  }
  return s as Summary;
}

/** Parses `10%` or `10`: both ten percent (a bare number is a percentage, as people say it). */
export function parseTolerance(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  if (!m) throw new UsageError(`--tolerance: '${text}' is not a percentage (e.g. 10%)`, 'BRINK_E_FLAG_VALUE');
  const value = Number(m[1]) / 100;
  if (value > 10) throw new UsageError(`--tolerance: '${text}' is too large (at most 1000%)`, 'BRINK_E_FLAG_VALUE');
  return value;
}

/** Runs the command: prints the table, returns the exit code. */
export function compareFiles(oldFile: string, newFile: string, tolerance: number, write: (text: string) => void): number {
  const comparison = compareSummaries(redactDeep(readSummary(oldFile)), redactDeep(readSummary(newFile)), tolerance);
  write(`${comparisonText(comparison, oldFile, newFile)}\n`);
  return comparison.regressions.length > 0 ? EXIT_REGRESSION : 0;
}
