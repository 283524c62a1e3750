// The plain-text views: a progress line for headless runs and the end-of-run summary tables.
import {attemptFailRate, type RunState} from '../engine/run-state.js';
import {clock} from '../kernel/duration.js';
import type {Summary} from './summary.js';
import {SETTLING_NOTE, stepsTable, verdictLines} from './verdict.js';
import {describeKind} from '../analysis/outages.js';
import {count, ms, percent} from './format.js';
import {quickSummaryLines} from './quick-text.js';
import {agentLines} from './agents-text.js';
import {formatValue} from '../analysis/thresholds.js';
import {notReused, protocolLabel, SLOW_CONNECT_MS} from '../engine/connections.js';

/** One line a few seconds apart in headless runs: enough to follow a run in a CI log. */
export function progressLine(state: RunState): string {
  const {now, users, totals} = state;
  const target =
    state.rate !== undefined
      ? ` (cap ${users.target})  rate ${count(state.rate)}/s${totals.dropped ? `  dropped ${count(totals.dropped)}` : ''}`
      : users.target !== users.active
        ? `→${users.target}`
        : '';
  const gen = state.health.saturated ? `  ! brink saturated (event loop ${Math.round(state.health.maxElu * 100)}%)` : '';
  return `${clock(state.elapsedMs)}  users ${users.active}${target}  req/s ${count(now.rps)}  fail ${percent(now.failRate)}  p50 ${ms(now.p50)}  p95 ${ms(now.p95)}  p99 ${ms(now.p99)}  total ${count(totals.requests)} (${count(totals.failures)} failed)${gen}`;
}

/** A plain-text table: the first `leftAligned` columns (or the ones listed) are text, left-aligned; the rest figures. */
export function table(header: string[], rows: string[][], leftAligned: number | readonly number[] = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const left = (i: number) => (typeof leftAligned === 'number' ? i < leftAligned : leftAligned.includes(i));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (left(i) ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}

export function summaryText(summary: Summary): string {
  const out: string[] = [];
  const {totals} = summary;
  const rows = summary.endpoints.map((e) => [
    `${e.method} ${e.name}`.slice(0, 60),
    count(e.requests),
    count(e.failures),
    percent(e.requests ? e.failures / e.requests : 0),
    e.rps.toFixed(1),
    ms(e.latencyMs.mean),
    ms(e.latencyMs.p50),
    ms(e.latencyMs.p95),
    ms(e.latencyMs.p99),
    ms(e.latencyMs.max),
  ]);
  rows.push([
    'All',
    count(totals.requests),
    count(totals.failures),
    percent(attemptFailRate(totals.requests, totals.failures, totals.dropped)),
    totals.rps.toFixed(1),
    ms(totals.latencyMs.mean),
    ms(totals.latencyMs.p50),
    ms(totals.latencyMs.p95),
    ms(totals.latencyMs.p99),
    ms(totals.latencyMs.max),
  ]);
  out.push(
    `brink · ${summary.scenario} · ${summary.target} · ${clock(summary.durationMs)} · peak ${summary.peakUsers} users${summary.interrupted ? ' · interrupted' : ''}`,
    '',
  );
  // Quick mode reads as hey and oha do; a scenario's endpoints get brink's table.
  if (summary.mode === 'quick') out.push(...quickSummaryLines(summary));
  else out.push(table(['endpoint', 'requests', 'fails', 'fail%', 'req/s', 'mean', 'p50', 'p95', 'p99', 'max'], rows));
  if (summary.endpoints.some((e) => e.gaps))
    out.push("(gap): the gaps between an event stream's events, one row a stream name; not requests, so not in All");
  const connections = connectionFigures(summary);
  if (connections) out.push(`connections ${connections}`);
  out.push(...agentLines(summary.agents));
  const kinds = Object.entries(totals.failuresByKind).sort((a, b) => b[1] - a[1]);
  if (kinds.length > 0) {
    out.push('', 'failures by kind');
    const kindRows = kinds.map(([kind, n]) => {
      const first = firstOf(summary, kind);
      return [kind, count(n), percent(n / totals.failures), first];
    });
    out.push(table(['kind', 'count', 'share', 'first seen'], kindRows));
    const samples = summary.endpoints
      .flatMap((e) => e.errors.map((s) => ({...s, endpoint: `${e.method} ${e.name}`})))
      .sort((a, b) => b.count - a.count)
      .slice(0, 8);
    if (samples.length > 0) {
      out.push('', 'top errors');
      for (const s of samples) {
        out.push(`  ${count(s.count).padStart(7)} × ${s.endpoint}  ${s.kind}: ${s.message.slice(0, 120)}`);
        if (s.body) out.push(`            body: ${JSON.stringify(s.body)}`);
      }
    }
  } else out.push('', 'no failures');
  out.push(...scriptErrorLines(summary), ...redirectLines(summary), ...openModelLines(summary));
  if (summary.steps.length > 1)
    out.push(
      '',
      `steps · ${summary.plan}`,
      stepsTable(summary, (h, r) => table(h, r, [0, 1, h.length - 2, h.length - 1])),
      SETTLING_NOTE,
    );
  const verdict = verdictLines(summary);
  if (verdict.length > 0) out.push('', ...verdict);
  const nothing = nothingSucceeded(summary);
  if (nothing) out.push('', `${nothing}: the run measured no success, and exits 99`);
  if (summary.thresholds.length > 0) {
    out.push('', 'thresholds');
    out.push(
      table(
        ['threshold', 'scope', 'measured', 'result'],
        summary.thresholds.map((t) => [t.expression, t.scope, formatValue(t, t.value), t.pass ? 'PASS' : 'FAIL']),
      ),
    );
    const failed = summary.thresholds.filter((t) => !t.pass).length;
    out.push(
      failed > 0
        ? `${failed} of ${summary.thresholds.length} threshold(s) failed → exit 99`
        : `all ${summary.thresholds.length} threshold(s) passed`,
    );
  }
  if (summary.aborted) out.push('', `aborted early: ${summary.aborted} (abort-on-fail)`);
  for (const w of [...summary.warnings, ...connectionWarnings(summary)]) out.push('', `warning: ${w}`);
  if (summary.generator.saturatedIntervals > 0) {
    out.push(
      '',
      `warning: brink's own event loop was saturated in ${summary.generator.saturatedIntervals} interval(s) (max ${Math.round(summary.generator.maxEventLoopUtilisation * 100)}%): latencies then include brink's queueing. Use more --workers (this run had ${summary.generator.workers}) or a bigger load box.`,
    );
  }
  if (summary.generator.startFailures > 0)
    out.push('', `note: ${summary.generator.startFailures} user start(s) failed in onStart and were retried`);
  // Said last too: the summary's first line, which says it, has scrolled away by now in a small terminal.
  if (summary.interrupted) out.push('', 'interrupted: the run was stopped before its plan ended; the figures cover what ran');
  return out.join('\n');
}

/** Exceptions in the scenario's tasks: their own rows, never requests. */
export function scriptErrorLines(summary: Summary): string[] {
  const errors = summary.scriptErrors ?? [];
  const total = summary.totals.scriptErrors ?? 0;
  if (total === 0) return [];
  const out = [
    '',
    `script errors: ${count(total)} (exceptions in the scenario's tasks, or task timeouts: not requests, not in any latency)`,
  ];
  for (const e of errors.slice(0, 8))
    out.push(`  ${count(e.count).padStart(7)} × ${e.task}${e.where ? ` (${e.where})` : ''}  ${e.message.slice(0, 120)}`);
  if (errors.length > 8) out.push(`  … ${errors.length - 8} more`);
  return out;
}

/** Endpoints whose requests were redirected, and where the first hop sent them. */
export function redirectLines(summary: Summary): string[] {
  const redirected = summary.endpoints.filter((e) => e.redirects && e.redirects.count > 0);
  if (redirected.length === 0) return [];
  const out = ['', 'redirected (first hop)'];
  for (const e of redirected) {
    const to = Object.entries(e.redirects!.to)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([path, n]) => `${path} ${count(n)}`)
      .join(', ');
    out.push(`  ${count(e.redirects!.count).padStart(7)} of ${count(e.requests)} × ${e.method} ${e.name} → ${to}`);
  }
  return out;
}

/** The open model's accounting: iterations due, started and dropped, and latency from due time beside latency from sending. */
export function openModelLines(summary: Summary): string[] {
  const t = summary.totals;
  if (t.scheduled === undefined && !t.uncorrectedLatencyMs) return [];
  const out = [''];
  if (t.scheduled !== undefined) {
    out.push(
      `open model: ${count(t.scheduled)} iterations due, ${count(t.started ?? 0)} started, ${count(t.dropped)} dropped` +
        (t.dropped > 0
          ? ' (every user busy: they waited past --timeout, or were still waiting when the run ended; counted as failures of kind `dropped`)'
          : ''),
    );
  }
  const u = t.uncorrectedLatencyMs;
  if (u) {
    out.push(
      `latency counts from when each request was due (wrk2's correction: waiting for a free user is part of it); ` +
        `from when it was sent: p50 ${ms(u.p50)}  p95 ${ms(u.p95)}  p99 ${ms(u.p99)}  max ${ms(u.max)}`,
    );
  }
  return out;
}

/**
 * Connections opened and their connect times, which no latency above includes, and the WebSockets and event streams
 * the users held; undefined when none opened.
 */
export function connectionFigures(summary: Summary): string | undefined {
  const c = summary.connections;
  if (!c) return undefined;
  const parts: string[] = [];
  const l = c.connectMs;
  const protocol = protocolLabel(summary.totals.protocols);
  if (c.opened > 0)
    parts.push(
      `${count(c.opened)} opened${protocol ? ` (${protocol})` : ''} · connect p50 ${ms(l.p50)}  p99 ${ms(l.p99)}  max ${ms(l.max)} (not in request latencies)`,
    );
  const retries = summary.totals.retries ?? 0;
  if (retries > 0) parts.push(`${count(retries)} requests sent again (the server never processed them: refused, or above a GOAWAY)`);
  if (c.sockets) parts.push(`sockets (WebSocket, SSE) ${count(c.sockets.opened)} opened, at most ${count(c.sockets.peak)} open at once`);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

/** What the connections say of the target, when it is worth saying. */
export function connectionWarnings(summary: Summary): string[] {
  const c = summary.connections;
  if (!c || c.opened === 0) return [];
  const out: string[] = [];
  const requests = summary.totals.requests;
  if (requests >= 100 && notReused(c.opened, requests, c.opened, summary.peakUsers)) {
    out.push(
      `${count(c.opened)} connections for ${count(requests)} requests: connections are not reused. The target closes them after each response (HTTP/1.0, Connection: close), or after less idle time than the users' think time; each request then also pays for a new connection.`,
    );
  }
  if (c.connectMs.max >= SLOW_CONNECT_MS) {
    out.push(
      `connections took up to ${ms(c.connectMs.max)} to open: the target accepts them too slowly (an overflowing accept queue drops SYNs, resent a second later). Raise its listen backlog (and net.core.somaxconn), or start users more gradually (-r).`,
    );
  }
  return out;
}

function firstOf(summary: Summary, kind: string): string {
  let best: {atMs: number; users: number; endpoint: string} | undefined;
  for (const e of summary.endpoints) {
    const f = e.firstFailures[kind];
    if (f && (!best || f.atMs < best.atMs)) best = {...f, endpoint: `${e.method} ${e.name}`};
  }
  return best ? `${clock(best.atMs)} ${best.endpoint} @ ${best.users} users` : '';
}

/**
 * When no request succeeded, the line that says so and why ("no request succeeded: 1,532 × connections refused"),
 * else undefined. A run that measured nothing must not read as a pass.
 */
export function nothingSucceeded(summary: Summary): string | undefined {
  const t = summary.totals;
  const failedRequests = t.failures - t.dropped;
  if (t.requests > failedRequests) return undefined;
  const top = Object.entries(t.failuresByKind).sort((a, b) => b[1] - a[1])[0];
  if (top)
    return `no request succeeded: ${count(top[1])} × ${describeKind(top[0])}${Object.keys(t.failuresByKind).length > 1 ? ', and more' : ''}`;
  const errors = summary.scriptErrors ?? [];
  if (errors.length > 0)
    return `no request was sent: ${count(t.scriptErrors ?? 0)} script error(s), first ${errors[0].task}${errors[0].where ? ` (${errors[0].where})` : ''}: ${errors[0].message}`;
  return summary.interrupted ? 'no request was sent before the run was stopped' : 'no request was sent';
}
