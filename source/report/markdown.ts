// The release record (`--md`): a Markdown page a team keeps with the release — what was tested (target
// release, scenario and its commit, load plan), whether it passed (thresholds), the key figures, the verdict,
// and room for notes. Plain GitHub-flavoured Markdown, so it reads well in a pull request, a wiki or a repo.
import {execFileSync} from 'node:child_process';
import {dirname} from 'node:path';
import type {Summary} from './summary.js';
import {attemptFailRate} from '../engine/run-state.js';
import {clock, formatDuration} from '../kernel/duration.js';
import {connectionFigures, connectionWarnings, openModelLines} from './text.js';
import {count, ms, percent} from './format.js';
import {SETTLING_NOTE, verdictLines} from './verdict.js';
import {thresholdsOf, thresholdValue} from './html.js';

export interface MarkdownOptions {
  /** `--release <commit>`: the target's version under test. */
  readonly release?: string;
  /** The scenario file, when the run had one: its repository's commit goes in the record. */
  readonly scenarioFile?: string;
  /** The scenario repository's commit (found from scenarioFile when not given). */
  readonly scenarioCommit?: ScenarioCommit;
  readonly generatedAt?: Date;
}

export interface ScenarioCommit {
  readonly commit: string;
  /** The scenario file differs from that commit. */
  readonly dirty: boolean;
}

/** The short commit of the git repository holding `file`, or undefined (not in a repository, no git). */
export function scenarioCommit(file: string): ScenarioCommit | undefined {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dirname(file), ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000}).trim();
  try {
    const commit = git('rev-parse', '--short', 'HEAD');
    if (!/^[0-9a-f]{4,40}$/.test(commit)) return undefined;
    let dirty = false;
    try {
      dirty = git('status', '--porcelain', '--', file) !== '';
    } catch {
      /* an untracked or unreadable state is not a reason to fail */
    }
    return {commit, dirty};
  } catch {
    return undefined;
  }
}

/** A table cell: one line, pipes escaped. */
const cell = (text: string | number) => String(text).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

function mdTable(head: string[], rows: Array<Array<string | number>>, rightFrom = 1): string {
  const align = head.map((_, i) => (i < rightFrom ? '---' : '---:'));
  return [`| ${head.map(cell).join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

export function markdownReport(summary: Summary, options: MarkdownOptions = {}): string {
  const {totals} = summary;
  const failRate = attemptFailRate(totals.requests, totals.failures, totals.dropped);
  const commit = options.scenarioCommit ?? (options.scenarioFile ? scenarioCommit(options.scenarioFile) : undefined);
  const thresholds = thresholdsOf(summary);
  const failed = thresholds.filter((t) => !t.pass);
  const aborted = (summary as {aborted?: string}).aborted;
  const result =
    thresholds.length === 0
      ? 'no thresholds set'
      : failed.length
        ? `**FAIL** — ${failed.length} of ${thresholds.length} thresholds failed`
        : `**PASS** — all ${thresholds.length} thresholds passed`;
  const when = summary.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const out: string[] = [];

  out.push(`# Release record: ${summary.scenario}`, '');
  const facts: Array<[string, string]> = [
    ['Date', when],
    ['Release under test', options.release ? code(options.release) : '— (pass `--release <commit>`)'],
    ['Target', code(summary.target)],
    ['Scenario', summary.scenario],
    [
      'Scenario commit',
      commit ? `${code(commit.commit)}${commit.dirty ? ' (scenario file has uncommitted changes)' : ''}` : '— (not in a git repository)',
    ],
    ['Load plan', summary.plan],
    [
      'Duration',
      `${formatDuration(summary.durationMs)}${summary.interrupted ? ' (interrupted)' : ''}${aborted ? ` (aborted: ${aborted})` : ''}`,
    ],
    ['Result', result],
    ['brink', summary.brink],
  ];
  out.push(...facts.map(([k, v]) => `- **${k}**: ${v.replace(/\r?\n/g, ' ')}`), '');

  out.push('## Thresholds', '');
  if (thresholds.length === 0) out.push("No thresholds were set (`--threshold 'p95<800ms'`, or `thresholds` in the scenario).", '');
  else
    out.push(
      mdTable(
        ['Threshold', 'Scope', 'Measured', 'Result'],
        thresholds.map((t) => [code(t.expression), t.scope, thresholdValue(t), t.pass ? 'PASS' : '**FAIL**']),
        4,
      ),
      '',
    );

  out.push('## Key figures', '');
  out.push(
    mdTable(
      ['Requests', 'Failures', 'Failure rate', 'req/s (mean)', 'Peak users', 'p50', 'p95', 'p99', 'Max'],
      [
        [
          count(totals.requests),
          count(totals.failures),
          percent(failRate),
          totals.rps.toFixed(1),
          count(summary.peakUsers),
          ms(totals.latencyMs.p50),
          ms(totals.latencyMs.p95),
          ms(totals.latencyMs.p99),
          ms(totals.latencyMs.max),
        ],
      ],
      0,
    ),
    '',
  );
  if (summary.endpoints.length > 0) {
    out.push(
      mdTable(
        ['Endpoint', 'Requests', 'Failures', 'Fail %', 'req/s', 'p50', 'p95', 'p99', 'Max'],
        summary.endpoints.map((e) => [
          code(`${e.method} ${e.name}`),
          count(e.requests),
          count(e.failures),
          percent(e.requests ? e.failures / e.requests : 0),
          e.rps.toFixed(1),
          ms(e.latencyMs.p50),
          ms(e.latencyMs.p95),
          ms(e.latencyMs.p99),
          ms(e.latencyMs.max),
        ]),
      ),
      '',
    );
  }
  const agents = summary.agents ?? [];
  if (agents.length > 0) {
    out.push(
      `### Agents (${agents.length})`,
      '',
      mdTable(
        ['Agent', 'Host', 'Users', 'Requests', 'Failures', ''],
        agents.map((a) => [
          a.name,
          a.host,
          count(a.users),
          count(a.requests),
          count(a.failures),
          a.lost ? `**lost**${a.lostWhy ? ` (${a.lostWhy})` : ''}` : '',
        ]),
        2,
      ),
      '',
    );
    if (agents.some((a) => a.lost)) out.push('<sub>What a lost agent sent after its last report is not counted.</sub>', '');
  }
  const kinds = Object.entries(totals.failuresByKind).sort((a, b) => b[1] - a[1]);
  if (kinds.length > 0) {
    out.push('Failures by kind: ' + kinds.map(([k, n]) => `${code(k)} ${count(n)}`).join(', ') + '.', '');
  }

  out.push('## Verdict', '');
  const verdict = verdictLines(summary);
  const rules = verdict.find((l) => l.startsWith('rules'));
  const items = verdict.filter((l) => !l.startsWith('rules'));
  if (items.length === 0)
    out.push('No breaking point judged: the run held one load level. A step ramp or `brink find-limit` finds it.', '');
  else {
    for (const l of items)
      out.push(
        `- **${l.slice(0, 17).trim()}**: ${l
          .slice(17)
          .trim()
          .replace(/\s{2,}/g, ' ')}`,
      );
    if (rules) out.push('', `<sub>Rules — ${rules.slice(17).trim()}</sub>`);
    out.push('');
  }
  if (summary.steps.length > 1) {
    out.push('### Steps', '');
    const sum = (f: (s: Summary['steps'][number]) => number) => count(summary.steps.reduce((n, s) => n + f(s), 0));
    out.push(
      mdTable(
        ['#', 'Step', 'Users', 'Requests', 'Failures', 'req/s', 'p50', 'p95', 'p99', 'Fail %'],
        [
          ...summary.steps.map((s) => [
            s.step,
            `${s.label}${s.kind === 'recovery' ? ' (recovery, not judged)' : s.kind === 'start' ? ' (not judged)' : ''}`,
            count(s.users),
            count(s.requests ?? 0),
            count(s.failures ?? 0),
            s.rps.toFixed(1),
            ms(s.latencyMs.p50),
            ms(s.latencyMs.p95),
            ms(s.latencyMs.p99),
            percent(s.failRate),
          ]),
          ['', '**total** (= sum of the rows)', '', sum((s) => s.requests ?? 0), sum((s) => s.failures ?? 0), '', '', '', '', ''],
        ],
        2,
      ),
      '',
      `<sub>${SETTLING_NOTE}.</sub>`,
      '',
    );
  }
  const scriptErrors = summary.scriptErrors ?? [];
  if (scriptErrors.length > 0) {
    out.push(`### Script errors (${count(totals.scriptErrors ?? 0)}, not requests)`, '');
    out.push(
      mdTable(
        ['Task', 'Where', 'Count', 'Message'],
        scriptErrors.slice(0, 20).map((e) => [e.task, e.where ?? '', count(e.count), e.message.slice(0, 200)]),
        2,
      ),
      '',
    );
  }

  out.push('## Notes', '');
  const notes: string[] = [];
  if (summary.manualChanges.length > 0)
    notes.push(`Steered by hand: ${summary.manualChanges.map((c) => `${c.command} at ${clock(c.atMs)} (→ ${c.users} users)`).join(', ')}.`);
  if (summary.interrupted) notes.push('The run was interrupted before its plan ended.');
  for (const line of openModelLines(summary)) if (line) notes.push(line);
  for (const w of [...summary.warnings, ...connectionWarnings(summary)]) notes.push(w);
  if (summary.generator.saturatedIntervals > 0)
    notes.push(
      `brink's own event loop was saturated in ${summary.generator.saturatedIntervals} interval(s): latencies then include brink's queueing.`,
    );
  const connections = connectionFigures(summary);
  if (connections) notes.push(`Connections: ${connections}.`);
  for (const n of notes) out.push(`- ${n}`);
  out.push('- _Environment, data set, what changed since the last release, decisions taken:_', '');
  out.push(`<sub>Written by brink ${summary.brink} on ${(options.generatedAt ?? new Date()).toISOString()}.</sub>`, '');
  return out.join('\n');
}
