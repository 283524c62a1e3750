// The reports a run writes at its end: --json, --csv, --html, --md. Here a report becomes output: each file is
// written atomically (kernel/write-atomic.ts: never renamed over a symlink or a device), or, for `-`, to stdout.
// Their text comes from the Summary, whose free text was redacted as the run recorded it (kernel/redact.ts).
// Each writer is loaded only when its flag asks for it: a run that writes none need not load them.
import {writeAtomic} from '../kernel/write-atomic.js';
import type {Summary} from './summary.js';

/** A report's file that stands for stdout. */
export const STDOUT = '-';

export interface ReportRequest {
  readonly json?: string;
  readonly csv?: string;
  /** Locust's --csv-full-history: a history row per endpoint too. */
  readonly csvFullHistory?: boolean;
  readonly html?: string;
  readonly md?: string;
  readonly release?: string;
  /** The scenario file, for its repository's commit in the release record. */
  readonly scenarioFile?: string;
  /** Where a report given as `-` goes. */
  readonly stdout: (text: string) => void;
}

export interface WrittenReports {
  /** A line per report written to a file, saying where it went. */
  readonly lines: string[];
  /** A line per report that could not be written, saying why (the others are written all the same). */
  readonly failed: string[];
}

/** Writes every report asked for; one that fails does not keep the others from being written. */
export async function writeReports(summary: Summary, request: ReportRequest): Promise<WrittenReports> {
  const lines: string[] = [];
  const failed: string[] = [];
  const put = (flag: string, files: Array<[file: string, text: string]>, line: (files: string) => string) => {
    try {
      for (const [file, text] of files) {
        if (file === STDOUT) request.stdout(text);
        else writeAtomic(file, text);
      }
      if (files[0][0] !== STDOUT) lines.push(line(files.map(([file]) => file).join(', ')));
    } catch (error) {
      failed.push(`${flag}: ${(error as Error).message}`);
    }
  };
  if (request.json) put('--json', [[request.json, `${JSON.stringify(summary, null, 2)}\n`]], (file) => `summary written to ${file}`);
  if (request.csv) {
    const {csvFiles} = await import('./csv.js');
    put('--csv', csvFiles(request.csv, summary, request.csvFullHistory), (files) => `CSV written to ${files}`);
  }
  if (request.html) {
    const {htmlReport} = await import('./html.js');
    put('--html', [[request.html, htmlReport(summary, {release: request.release})]], (file) => `HTML report written to ${file}`);
  }
  if (request.md) {
    const {markdownReport} = await import('./markdown.js');
    const text = markdownReport(summary, {release: request.release, scenarioFile: request.scenarioFile});
    put('--md', [[request.md, text]], (file) => `release record written to ${file}`);
  }
  return {lines, failed};
}
