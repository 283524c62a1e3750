// What every summary of a real run must hold, whatever the test is about: each request and failure sits in
// exactly one step, so the step table adds up to the totals. The CLI runner checks every --json it sees written.
import {existsSync, readFileSync} from 'node:fs';
import type {Summary} from '../../source/report/summary.js';

export class SummaryCheckError extends Error {
  override name = 'SummaryCheckError';
}

/** Throws when the steps of `summary` do not add up to its totals (requests, failures, dropped, script errors). */
export function checkStepsAddUp(summary: Summary, where = 'summary'): void {
  const sum = (f: (s: Summary['steps'][number]) => number) => summary.steps.reduce((n, s) => n + f(s), 0);
  const pairs: Array<[string, number, number]> = [
    ['requests', sum((s) => s.requests), summary.totals.requests],
    ['failures', sum((s) => s.failures), summary.totals.failures],
    ['dropped', sum((s) => s.dropped), summary.totals.dropped],
    ['script errors', sum((s) => s.scriptErrors), summary.totals.scriptErrors ?? 0],
  ];
  const wrong = pairs.filter(([, steps, totals]) => steps !== totals);
  if (summary.steps.length === 0 && summary.totals.requests + summary.totals.failures === 0) return;
  if (wrong.length > 0 || summary.steps.length === 0) {
    throw new SummaryCheckError(
      `${where}: the steps do not add up to the totals: ${wrong.map(([what, steps, totals]) => `${what} ${steps} in ${summary.steps.length} steps vs ${totals} in totals`).join('; ') || 'no steps'}`,
    );
  }
  for (const [i, s] of summary.steps.entries()) {
    if (s.step !== i + 1) throw new SummaryCheckError(`${where}: step ${i + 1} is numbered ${s.step}`);
    const kinds = Object.values(s.failuresByKind).reduce((n, k) => n + k, 0);
    if (kinds !== s.failures) throw new SummaryCheckError(`${where}: step ${s.step} has ${s.failures} failures but ${kinds} by kind`);
    if (i > 0 && s.fromMs !== summary.steps[i - 1].toMs)
      throw new SummaryCheckError(
        `${where}: step ${s.step} starts at ${s.fromMs} ms, not where step ${i} ended (${summary.steps[i - 1].toMs} ms)`,
      );
  }
}

/** The summaries a CLI run wrote with `--json FILE` (not `-`), checked. */
export function checkWrittenSummaries(args: readonly string[]): void {
  for (let i = 0; i < args.length; i++) {
    const file = args[i] === '--json' ? args[i + 1] : args[i].startsWith('--json=') ? args[i].slice(7) : undefined;
    if (!file || file === '-' || !existsSync(file)) continue;
    let summary: Summary;
    try {
      summary = JSON.parse(readFileSync(file, 'utf8')) as Summary;
    } catch {
      continue; // a test about a broken or partial file checks that itself
    }
    if (summary && Array.isArray(summary.steps)) checkStepsAddUp(summary, file);
  }
}
