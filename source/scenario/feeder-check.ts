// The csv() feeders of a scenario, checked in the main thread before any traffic: each file exists, parses
// and has data rows, and has the columns the scenario reads from it (column-reads.ts). Workers still read
// their files lazily; this only makes a typo an error at start instead of a stream of script failures.
import {readFileSync} from 'node:fs';
import {dirname, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {readCsv, type CsvCall, type CsvTable} from './feeder.js';
import {ScenarioError} from './define.js';
import {feederReads, type ColumnRead} from './column-reads.js';

/** Where a csv() call was made, from its stack (source-mapped to the scenario's own file). */
export function callSite(stack: string | undefined): {file: string; line: number; column: number} | undefined {
  const frame = stack?.split('\n').find((l) => /^\s+at /.test(l));
  const m = frame && /\(?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?\s*$/.exec(frame);
  if (!m || m[1].startsWith('node:')) return undefined;
  let file = m[1];
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  return {file, line: Number(m[2]), column: Number(m[3])};
}

/** A path as brink shows it: relative to the working directory when that is shorter. */
const shown = (file: string) => relative(process.cwd(), file) || file;

/**
 * The first problem with the csv() feeders a scenario made while it was imported, as a one-line message
 * (`scenarios/shop.ts:4: csv('data/acounts.csv'): no such file /abs/data/acounts.csv`), or undefined.
 * Paths resolve next to `scenarioFile`, as in the workers.
 */
export function checkCsvCalls(calls: ReadonlyArray<CsvCall>, scenarioFile: string): string | undefined {
  const tables: Array<{call: CsvCall; site?: ReturnType<typeof callSite>; table: CsvTable}> = [];
  for (const call of calls) {
    const site = callSite(call.site.stack);
    const where = site ? `${shown(site.file)}:${site.line}` : shown(scenarioFile);
    try {
      tables.push({call, site, table: readCsv(call.path, dirname(scenarioFile))});
    } catch (error) {
      if (error instanceof ScenarioError) return `${where}: ${error.message}`;
      throw error;
    }
  }
  const sources = new Map<string, string | undefined>();
  for (const {call, site, table} of tables) {
    if (!site) continue;
    if (!sources.has(site.file)) {
      let text: string | undefined;
      try {
        text = readFileSync(site.file, 'utf8');
      } catch {
        text = undefined;
      }
      sources.set(site.file, text);
    }
    const source = sources.get(site.file);
    const found = source === undefined ? undefined : feederReads(source, site.line, site.column);
    if (!found) continue;
    const columns = new Set(table.columns);
    const missing = (read: ColumnRead) => !read.optional && !columns.has(read.column);
    const has = `which ${call.path} does not have (columns: ${table.columns.join(', ')})`;
    const typed = found.typed.find(missing);
    if (typed) return `${shown(site.file)}:${typed.line}: csv('${call.path}') is typed with column '${typed.column}', ${has}`;
    const read = found.reads.find(missing);
    if (read) return `${shown(site.file)}:${read.line}: data(${found.name}) reads column '${read.column}', ${has}`;
  }
  return undefined;
}
