// The report files a run writes at its end besides the JSON: --csv, --html, --md. Each written atomically.
import type {Summary} from './summary.js';
import {writeCsv} from './csv.js';
import {writeHtml} from './html.js';
import {writeMarkdown} from './markdown.js';

export interface ReportRequest {
  readonly csv?: string;
  readonly html?: string;
  readonly md?: string;
  readonly release?: string;
  /** The scenario file, for its repository's commit in the release record. */
  readonly scenarioFile?: string;
}

/** Writes every report asked for; returns a line per report saying where it went. */
export function writeReports(summary: Summary, request: ReportRequest): string[] {
  const lines: string[] = [];
  if (request.csv) lines.push(`CSV written to ${writeCsv(request.csv, summary).join(', ')}`);
  if (request.html) {
    writeHtml(request.html, summary, {release: request.release});
    lines.push(`HTML report written to ${request.html}`);
  }
  if (request.md) {
    writeMarkdown(request.md, summary, {release: request.release, scenarioFile: request.scenarioFile});
    lines.push(`release record written to ${request.md}`);
  }
  return lines;
}
