// The HTML report: one self-contained file that opens with no network (the chart library, its CSS and the data
// are inline). Tables and text are rendered here; the charts are drawn in the browser by uPlot from the
// embedded data (see html-charts.ts). Free text comes redacted, as the run recorded it (kernel/redact.ts).
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import type {Summary} from './summary.js';
import {attemptFailRate} from '../engine/run-state.js';
import {clock, formatDuration} from '../kernel/duration.js';
import {connectionFigures, connectionWarnings, openModelLines} from './text.js';
import {count, ms, percent} from './format.js';
import {SETTLING_NOTE, verdictLines} from './verdict.js';
import {STYLE} from './html-style.js';
import {CHART_SCRIPT} from './html-charts.js';

const require = createRequire(import.meta.url);

/** uPlot's browser build and stylesheet, read from node_modules each time a report is made. */
function uplot(): {script: string; css: string} {
  const script = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8').replace(/\/\/# sourceMappingURL=\S*\s*$/, '');
  const css = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  return {script, css};
}

export const KIND_COLORS = ['#c62f2f', '#e08a00', '#7b4fd0', '#0f9fb0', '#b5477a', '#6b7a12', '#8a5a2b', '#2b6cd4', '#4a5568', '#d4a017'];

const esc = (text: string | number) =>
  String(text).replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c] as string);

/** JSON safe inside a <script> element. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

interface ThresholdRow {
  readonly expression: string;
  readonly scope: string;
  readonly metric?: string;
  readonly value: number | undefined | null;
  readonly pass: boolean;
  readonly missing?: string;
}

/** The lead's threshold results, when the summary has them (older summaries do not). */
export function thresholdsOf(summary: Summary): ReadonlyArray<ThresholdRow> {
  return (summary as {thresholds?: ReadonlyArray<ThresholdRow>}).thresholds ?? [];
}

/** A measured threshold value in its metric's unit. */
export function thresholdValue(t: ThresholdRow): string {
  if (t.missing) return t.missing;
  if (t.value === undefined || t.value === null) return 'no traffic';
  const metric = t.metric ?? /^\s*(?:[^:]*:\s*)?([a-z0-9_]+)/i.exec(t.expression)?.[1] ?? '';
  if (/^(p\d+|max|min|mean)$/.test(metric)) return ms(t.value);
  if (metric === 'errors') return percent(t.value);
  if (metric === 'rps') return `${t.value.toFixed(1)} req/s`;
  return count(t.value);
}

/** Per-kind colours, the same in the chart and in the tables. */
function kindColors(summary: Summary): Map<string, string> {
  const kinds = Object.entries(summary.totals.failuresByKind)
    .sort((a, b) => b[1] - a[1])
    .map(([k]) => k);
  return new Map(kinds.map((k, i) => [k, KIND_COLORS[i % KIND_COLORS.length]]));
}

function chartData(summary: Summary, colors: Map<string, string>) {
  const s = summary.series;
  const n = s.length;
  const t = s.map((p) => p.t);
  const seconds = s.map((p, i) => Math.max(0.001, p.t - (i > 0 ? s[i - 1].t : 0)));
  const endpoints = summary.endpoints.map((e) => {
    const history = e.history ?? [];
    const offset = n - history.length;
    const at = (i: number) => history[i - offset];
    // Before the endpoint's first request, and for latency in an interval without requests: a gap, not a zero.
    const pick = (key: 'p50' | 'p95' | 'p99' | 'rps') =>
      t.map((_, i) => {
        const h = at(i);
        if (!h || (key !== 'rps' && h.rps === 0)) return null;
        return h[key];
      });
    return {label: `${e.method} ${e.name}`, p50: pick('p50'), p95: pick('p95'), p99: pick('p99'), rps: pick('rps')};
  });
  const gap = (v: number, i: number) => (s[i].requests === 0 ? null : v);
  const marks: Array<{at: number; label: string; color: string}> = [];
  const bp = summary.breakingPoint;
  const stepStart = (segment: number) => summary.steps.find((x) => x.step === segment)?.fromMs;
  if (bp.knee && stepStart(bp.knee.segment) !== undefined)
    marks.push({at: stepStart(bp.knee.segment)! / 1000, label: `knee: step ${bp.knee.segment}`, color: '#e08a00'});
  if (bp.broken && stepStart(bp.broken.segment) !== undefined)
    marks.push({at: stepStart(bp.broken.segment)! / 1000, label: `breaking point: step ${bp.broken.segment}`, color: '#c62f2f'});
  for (const o of summary.outages ?? []) {
    marks.push({at: o.fromMs / 1000, label: 'outage began', color: '#c62f2f'});
    if (o.toMs !== undefined)
      marks.push({at: o.toMs / 1000, label: `outage over (${((o.toMs - o.fromMs) / 1000).toFixed(1)} s)`, color: '#1f8a4c'});
  }
  if (bp.firstToFail) marks.push({at: bp.firstToFail.atMs / 1000, label: `first failure: ${bp.firstToFail.kind}`, color: '#b5477a'});
  const r = summary.recovery;
  if (r.sinceMs !== undefined && r.state !== 'idle') {
    marks.push({at: r.sinceMs / 1000, label: 'load dropped', color: '#2b6cd4'});
    if (r.state === 'recovered' && r.recoveredAfterMs !== undefined)
      marks.push({at: (r.sinceMs + r.recoveredAfterMs) / 1000, label: 'recovered', color: '#1f8a4c'});
  }
  return {
    t,
    users: s.map((p) => p.users),
    targetUsers: s.map((p) => p.targetUsers),
    rate: s.some((p) => p.rate !== undefined) ? s.map((p) => p.rate ?? null) : null,
    rps: s.map((p) => p.rps),
    p50: s.map((p, i) => gap(p.p50, i)),
    p95: s.map((p, i) => gap(p.p95, i)),
    p99: s.map((p, i) => gap(p.p99, i)),
    failRate: s.map((p) => p.failRate),
    kinds: [...colors].map(([name, color]) => ({
      name,
      color,
      perSec: s.map((p, i) => Math.round(((p.failuresByKind[name] ?? 0) / seconds[i]) * 100) / 100),
    })),
    endpoints,
    steps: summary.steps.map((x) => ({from: x.fromMs / 1000, to: x.toMs / 1000, label: x.label})),
    marks,
  };
}

/** Cells are HTML already escaped. `left`: how many leading columns are text (left-aligned); `wrap`: columns whose text may wrap. */
function table(head: string[], rows: string[][], opts: {rowClass?: (i: number) => string; left?: number; wrap?: number[]} = {}): string {
  const left = opts.left ?? 1;
  const cls = (i: number) => (opts.wrap?.includes(i) ? ' class="wrap"' : i < left ? ' class="l"' : '');
  const th = head.map((h, i) => `<th${i < left || opts.wrap?.includes(i) ? ' class="l"' : ''}>${esc(h)}</th>`).join('');
  const body = rows
    .map(
      (r, ri) =>
        `<tr${opts.rowClass?.(ri) ? ` class="${opts.rowClass(ri)}"` : ''}>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<div class="table-wrap"><table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function figure(label: string, value: string, bad = false): string {
  return `<div class="figure${bad ? ' bad' : ''}"><div class="value">${esc(value)}</div><div class="label">${esc(label)}</div></div>`;
}

function verdictSection(summary: Summary): string {
  const lines = verdictLines(summary);
  const bp = summary.breakingPoint;
  const rules = lines.find((l) => l.startsWith('rules'));
  const items = lines
    .filter((l) => !l.startsWith('rules'))
    .map((l) => `<dt>${esc(l.slice(0, 17).trim())}</dt><dd>${esc(l.slice(17))}</dd>`);
  const state = bp.broken || bp.knee || summary.recovery.state === 'not_recovered' ? 'broken' : items.length > 0 ? 'fine' : '';
  const body =
    items.length > 0
      ? `<dl>${items.join('\n')}</dl>${rules ? `<div class="rules">${esc(rules.slice(17))}</div>` : ''}`
      : `<p class="sub">No verdict: the run held one load level${summary.steps.length > 1 ? ' and nothing degraded' : ''}. A step ramp (<code>--step-users</code>/<code>--step-time</code>) or <code>brink find-limit</code> finds the breaking point.</p>`;
  return `<section class="card verdict ${state}" id="verdict"><h2>Verdict</h2>${body}</section>`;
}

function thresholdsSection(summary: Summary): string {
  const list = thresholdsOf(summary);
  if (list.length === 0) return '';
  const failed = list.filter((t) => !t.pass).length;
  const rows = list.map((t) => [
    esc(t.expression),
    esc(t.scope),
    esc(thresholdValue(t)),
    t.pass ? '<span class="badge pass">PASS</span>' : '<span class="badge fail">FAIL</span>',
  ]);
  return `<section class="card" id="thresholds"><h2>Thresholds <span class="badge ${failed ? 'fail' : 'pass'}">${failed ? `${failed} of ${list.length} failed` : `all ${list.length} passed`}</span></h2>${table(['threshold', 'scope', 'measured', 'result'], rows, {left: 2})}</section>`;
}

function stepsSection(summary: Summary, colors: Map<string, string>): string {
  if (summary.steps.length === 0) return '';
  const bp = summary.breakingPoint;
  const rows = summary.steps.map((s) => [
    String(s.step),
    `${esc(s.label)}${s.kind === 'recovery' ? ' <span class="sub">(recovery, not judged)</span>' : s.kind === 'start' ? ' <span class="sub">(not judged)</span>' : ''}`,
    clock(s.fromMs),
    count(s.users),
    count(s.requests ?? 0),
    count(s.failures ?? 0),
    s.rps.toFixed(1),
    ms(s.latencyMs.p50),
    ms(s.latencyMs.p95),
    ms(s.latencyMs.p99),
    percent(s.failRate),
    kindList(s.failuresByKind, colors),
  ]);
  const sum = (f: (s: Summary['steps'][number]) => number) => count(summary.steps.reduce((n, s) => n + f(s), 0));
  rows.push(['', 'total (= sum of the rows)', '', '', sum((s) => s.requests ?? 0), sum((s) => s.failures ?? 0), '', '', '', '', '', '']);
  const cls = (i: number) =>
    i === summary.steps.length
      ? 'total'
      : summary.steps[i].step === bp.broken?.segment
        ? 'hl-broken'
        : summary.steps[i].step === bp.knee?.segment
          ? 'hl-knee'
          : '';
  return `<section class="card" id="steps"><h2>Steps</h2><p class="sub">${esc(summary.plan)}</p>${table(['#', 'step', 'from', 'users', 'requests', 'failures', 'req/s', 'p50', 'p95', 'p99', 'fail %', 'kinds'], rows, {left: 2, rowClass: cls})}
<p class="sub">${esc(SETTLING_NOTE)}.</p>
${bp.knee || bp.broken ? `<p class="note">${bp.knee ? `<span class="badge warn">knee</span> step ${bp.knee.segment}: throughput stopped rising with users. ` : ''}${bp.broken ? `<span class="badge fail">breaking point</span> step ${bp.broken.segment}: ${esc(bp.broken.reason)}.` : ''}</p>` : ''}</section>`;
}

function kindList(kinds: Readonly<Record<string, number>>, colors: Map<string, string>): string {
  return Object.entries(kinds)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `<span class="kind" style="background:${colors.get(k) ?? '#888'}"></span>${esc(k)} ${count(n)}`)
    .join(' &nbsp;');
}

function endpointsSection(summary: Summary): string {
  const {totals} = summary;
  const rate = (f: number, r: number) => (r ? f / r : 0);
  const codes = (c: Readonly<Record<string, number>>) =>
    Object.entries(c)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([k, n]) => `${esc(k)}×${count(n)}`)
      .join(' ');
  const rows = summary.endpoints.map((e) => [
    `${esc(e.method)} ${esc(e.name)}`,
    count(e.requests),
    count(e.failures),
    percent(rate(e.failures, e.requests)),
    e.rps.toFixed(1),
    ms(e.latencyMs.mean),
    ms(e.latencyMs.p50),
    ms(e.latencyMs.p90),
    ms(e.latencyMs.p95),
    ms(e.latencyMs.p99),
    ms(e.latencyMs.max),
    codes(e.statusCodes),
  ]);
  rows.push([
    'All',
    count(totals.requests),
    count(totals.failures),
    percent(rate(totals.failures, totals.requests)),
    totals.rps.toFixed(1),
    ms(totals.latencyMs.mean),
    ms(totals.latencyMs.p50),
    ms(totals.latencyMs.p90),
    ms(totals.latencyMs.p95),
    ms(totals.latencyMs.p99),
    ms(totals.latencyMs.max),
    '',
  ]);
  return `<section class="card" id="endpoints"><h2>Endpoints</h2>${table(['endpoint', 'requests', 'failures', 'fail %', 'req/s', 'mean', 'p50', 'p90', 'p95', 'p99', 'max', 'status'], rows, {rowClass: (i) => (i === rows.length - 1 ? 'total' : '')})}</section>`;
}

/** A run on brink agents (--agents): each agent's share, and a lost one marked. */
function agentsSection(summary: Summary): string {
  const agents = summary.agents ?? [];
  if (agents.length === 0) return '';
  const rows = agents.map((a) => [
    esc(a.name),
    esc(a.host),
    count(a.users),
    count(a.requests),
    count(a.failures),
    a.lost ? `<span class="badge fail">lost</span>${a.lostWhy ? ` ${esc(a.lostWhy)}` : ''}` : '',
  ]);
  const lost = agents.some((a) => a.lost) ? '<p class="note">What a lost agent sent after its last report is not counted.</p>' : '';
  return `<section class="card" id="agents"><h2>Agents (${agents.length})</h2>${table(['agent', 'host', 'users', 'requests', 'failures', ''], rows, {left: 2})}${lost}</section>`;
}

function failuresSection(summary: Summary, colors: Map<string, string>): string {
  const kinds = Object.entries(summary.totals.failuresByKind).sort((a, b) => b[1] - a[1]);
  if (kinds.length === 0 && !(summary.totals.scriptErrors ?? 0))
    return `<section class="card" id="failures"><h2>Failures</h2><p class="sub">No failures.</p></section>`;
  const rows = kinds.map(([kind, n]) => {
    let first: {atMs: number; users: number; endpoint: string} | undefined;
    const by: string[] = [];
    for (const e of summary.endpoints) {
      const f = e.firstFailures[kind];
      if (f && (!first || f.atMs < first.atMs)) first = {...f, endpoint: `${e.method} ${e.name}`};
      if (e.failuresByKind[kind]) by.push(`${e.method} ${e.name} (${count(e.failuresByKind[kind])})`);
    }
    return [
      `<span class="kind" style="background:${colors.get(kind)}"></span>${esc(kind)}`,
      count(n),
      percent(n / Math.max(1, summary.totals.failures)),
      first ? esc(`${clock(first.atMs)} · ${first.endpoint} · ${first.users} users`) : '',
      `${esc(by.slice(0, 4).join(', '))}${by.length > 4 ? ' …' : ''}`,
    ];
  });
  const samples = summary.endpoints
    .flatMap((e) => e.errors.map((s) => ({...s, endpoint: `${e.method} ${e.name}`})))
    .sort((a, b) => b.count - a.count)
    .slice(0, 20);
  const sampleRows = samples.map((s) => [
    esc(s.endpoint),
    esc(s.kind),
    count(s.count),
    `${esc(s.message.slice(0, 400))}${s.body ? `<br><code class="body">${esc(s.body)}</code>` : ''}`,
  ]);
  const scriptErrors = summary.scriptErrors ?? [];
  const scriptRows = scriptErrors.slice(0, 20).map((e) => [esc(e.task), esc(e.where ?? ''), count(e.count), esc(e.message.slice(0, 400))]);
  const redirected = summary.endpoints.filter((e) => e.redirects && e.redirects.count > 0);
  const redirectRows = redirected.map((e) => [
    `${esc(e.method)} ${esc(e.name)}`,
    count(e.redirects!.count),
    count(e.requests),
    esc(
      Object.entries(e.redirects!.to)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([to, n]) => `${to} (${count(n)})`)
        .join(', '),
    ),
  ]);
  return `<section class="card" id="failures"><h2>Failures by kind</h2>${table(['kind', 'count', 'share', 'first seen', 'endpoints'], rows, {wrap: [3, 4]})}
${samples.length ? `<h3>Error samples</h3>${table(['endpoint', 'kind', 'count', 'message and body'], sampleRows, {left: 2, wrap: [3]})}` : ''}
${scriptRows.length ? `<h3>Script errors (${count(summary.totals.scriptErrors ?? 0)}: not requests)</h3>${table(['task', 'where', 'count', 'message'], scriptRows, {left: 2, wrap: [3]})}` : ''}
${redirectRows.length ? `<h3>Redirected (first hop)</h3>${table(['endpoint', 'redirected', 'of requests', 'to'], redirectRows, {wrap: [3]})}` : ''}</section>`;
}

function eventsSection(summary: Summary): string {
  if (summary.events.length === 0) return '';
  const rows = summary.events.map((e) => [clock(e.atMs), esc(e.kind), esc(e.text)]);
  return `<section class="card" id="events"><h2>Events</h2><div class="events">${table(['at', 'kind', 'what'], rows, {left: 2, wrap: [2], rowClass: (i) => `ev-${summary.events[i].kind}`})}</div></section>`;
}

function planSection(summary: Summary): string {
  const changes =
    summary.manualChanges.length === 0
      ? '<p class="sub">No manual changes: the plan drove the run.</p>'
      : table(
          ['at', 'key', 'users after'],
          summary.manualChanges.map((c) => [clock(c.atMs), esc(c.command), count(c.users)]),
          {left: 2},
        );
  const notes: string[] = [];
  for (const line of openModelLines(summary)) if (line) notes.push(line);
  for (const w of [...summary.warnings, ...connectionWarnings(summary)]) notes.push(w);
  if (summary.generator.saturatedIntervals > 0)
    notes.push(
      `brink's own event loop was saturated in ${summary.generator.saturatedIntervals} interval(s) (max ${Math.round(summary.generator.maxEventLoopUtilisation * 100)} %): latencies then include brink's queueing.`,
    );
  if (summary.generator.startFailures > 0)
    notes.push(`${summary.generator.startFailures} user start(s) failed in onStart and were retried.`);
  const connections = connectionFigures(summary);
  return `<section class="card" id="plan"><h2>Load plan and manual changes</h2><p><strong>Plan:</strong> ${esc(summary.plan)}</p><h3>Manual changes</h3>${changes}
<h3>Load generator</h3><p class="sub">${summary.generator.workers} worker${summary.generator.workers === 1 ? '' : 's'} · max event-loop utilisation ${Math.round(summary.generator.maxEventLoopUtilisation * 100)} % · saturated intervals ${summary.generator.saturatedIntervals}${connections ? ` · connections ${esc(connections)}` : ''}</p>
${notes.length ? `<h3>Warnings</h3><ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}</section>`;
}

export interface HtmlOptions {
  /** When the report was made (default: now). */
  readonly generatedAt?: Date;
  /** `--release <commit>`: the target's version under test. */
  readonly release?: string;
}

/** The whole report as one HTML document. */
export function htmlReport(summary: Summary, options: HtmlOptions = {}): string {
  const colors = kindColors(summary);
  const {totals} = summary;
  const failRate = attemptFailRate(totals.requests, totals.failures, totals.dropped);
  const thresholds = thresholdsOf(summary);
  const failedThresholds = thresholds.filter((t) => !t.pass).length;
  const aborted = (summary as {aborted?: string}).aborted;
  const badges = [
    summary.interrupted ? '<span class="badge warn">interrupted</span>' : '',
    aborted ? `<span class="badge fail">aborted: ${esc(aborted)}</span>` : '',
    thresholds.length
      ? `<span class="badge ${failedThresholds ? 'fail' : 'pass'}">thresholds ${failedThresholds ? 'FAILED' : 'passed'}</span>`
      : '',
  ].join(' ');
  const title = `brink · ${summary.scenario}`;
  const lib = uplot();
  const epOptions = summary.endpoints.map((e, i) => `<option value="${i}">${esc(`${e.method} ${e.name}`)}</option>`).join('');
  const generated = (options.generatedAt ?? new Date()).toISOString();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="brink ${esc(summary.brink)}">
<title>${esc(title)}</title>
<style>${lib.css}</style>
<style>${STYLE}</style>
</head>
<body>
<main>
<header class="top"><h1><span class="brand">brink</span> · ${esc(summary.scenario)}</h1>${badges}</header>
<div class="sub"><code>${esc(summary.target)}</code>${options.release ? ` · release <code>${esc(options.release)}</code>` : ''} · started ${esc(summary.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))} · ${esc(formatDuration(summary.durationMs))} · ${esc(summary.plan)}</div>
<div class="figures" id="figures">
${figure('requests', count(totals.requests))}
${figure(`failures · ${percent(failRate)}`, count(totals.failures), totals.failures > 0)}
${figure('req/s (mean)', totals.rps.toFixed(1))}
${figure('peak users', count(summary.peakUsers))}
${figure('p50', ms(totals.latencyMs.p50))}
${figure('p95', ms(totals.latencyMs.p95))}
${figure('p99', ms(totals.latencyMs.p99))}
${figure('max', ms(totals.latencyMs.max))}
${totals.dropped > 0 ? figure('dropped iterations', count(totals.dropped), true) : ''}
</div>
${thresholdsSection(summary)}
${verdictSection(summary)}
<noscript><section class="card"><p>The charts need JavaScript; the tables below do not.</p></section></noscript>
<section class="card"><h2>Users and requests/s</h2><div class="chart" id="chart-load"></div><p class="note">${summary.steps.length > 1 ? 'Shaded bands: alternate steps of the plan. ' : ''}Drag to zoom, double-click to reset; hover for values.</p></section>
<section class="card"><h2>Latency, all endpoints</h2><div class="chart" id="chart-latency"></div></section>
${
  summary.endpoints.length
    ? `<section class="card"><div class="chart-head"><h2>Latency of</h2><select id="endpoint-select" aria-label="endpoint">${epOptions}</select></div><div class="chart" id="chart-endpoint"></div></section>
<section class="card"><h2>p95 by endpoint</h2><div class="chart" id="chart-endpoints-p95"></div>${summary.endpoints.length > 10 ? '<p class="note">The 10 busiest endpoints.</p>' : ''}</section>`
    : ''
}
<section class="card"><h2>Failures by kind</h2>${colors.size ? '<div class="chart" id="chart-failures"></div><p class="note">Failures a second, stacked by kind; the line is the failure rate.</p>' : '<p class="sub">No failures.</p>'}</section>
${stepsSection(summary, colors)}
${endpointsSection(summary)}
${agentsSection(summary)}
${failuresSection(summary, colors)}
${eventsSection(summary)}
${planSection(summary)}
<footer>brink ${esc(summary.brink)} · report generated ${esc(generated)}</footer>
</main>
<script type="application/json" id="brink-data">${scriptJson(chartData(summary, colors))}</script>
<script>${lib.script.replace(/<\/script/gi, '<\\/script')}</script>
<script>${CHART_SCRIPT}</script>
</body>
</html>
`;
}
