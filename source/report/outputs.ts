// The report files a run writes at its end besides the JSON: --csv, --html, --md. Each written atomically.
// Each writer is loaded only when its flag asks for it: a run that writes none need not load them.
import type {Summary} from './summary.js';

export interface ReportRequest {
  readonly csv?: string;
  readonly html?: string;
  readonly md?: string;
  readonly release?: string;
  /** The scenario file, for its repository's commit in the release record. */
  readonly scenarioFile?: string;
}

/** Writes every report asked for; returns a line per report saying where it went. */
export async function writeReports(summary: Summary, request: ReportRequest): Promise<string[]> {
  const lines: string[] = [];
  if (request.csv) {
    const {writeCsv} = await import('./csv.js');
    lines.push(`CSV written to ${writeCsv(request.csv, summary).join(', ')}`);
  }
  if (request.html) {
    const {writeHtml} = await import('./html.js');
    writeHtml(request.html, summary, {release: request.release});
    lines.push(`HTML report written to ${request.html}`);
  }
  if (request.md) {
    const {writeMarkdown} = await import('./markdown.js');
    writeMarkdown(request.md, summary, {release: request.release, scenarioFile: request.scenarioFile});
    lines.push(`release record written to ${request.md}`);
  }
  return lines;
}
