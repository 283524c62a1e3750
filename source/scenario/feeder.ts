// Test data for scenarios. A CSV file is read lazily, on first use inside a worker, relative to the
// scenario file, so a scenario's top level stays cheap and the path works wherever brink is started.
// The loader checks the same files once, in the main thread, before any traffic (see feeder-check.ts).
import {readFileSync} from 'node:fs';
import {isAbsolute, resolve} from 'node:path';
import {createRequire} from 'node:module';
import type {Feeder} from './types.js';
import {ScenarioError} from './define.js';

// csv-parse's CommonJS build, required on first use: rows() is synchronous, and a scenario that reads no CSV
// (or a quick run, which loads this module too) need not load the parser.
const require = createRequire(import.meta.url);
const parseCsv = (text: string, options: import('csv-parse/sync').Options): unknown[] =>
  (require('csv-parse/sync') as typeof import('csv-parse/sync')).parse(text, options);

let scenarioDir = process.cwd();
/** Set by the loader: where relative data paths are resolved from. */
export function setScenarioDir(dir: string): void {
  scenarioDir = dir;
}

/** A csv() call made while a scenario was imported (see recordCsvCalls). */
export interface CsvCall {
  /** The path as the scenario wrote it. */
  readonly path: string;
  /** Made at the call: its stack's first frame is the caller's. */
  readonly site: {readonly stack?: string};
}

// On globalThis rather than in this module: the scenario's bundle imports brink's public entry, and under
// a test runner that may be another instance of this module than the loader's.
const RECORDERS = Symbol.for('brink.csv-calls');
const recorders = () => globalThis as {[RECORDERS]?: Set<CsvCall[]>};

/** Records the csv() calls made until stop(), so that the loader can check their files before any traffic. */
export function recordCsvCalls(): {readonly calls: ReadonlyArray<CsvCall>; stop(): void} {
  const calls: CsvCall[] = [];
  (recorders()[RECORDERS] ??= new Set()).add(calls);
  return {
    calls,
    stop: () => {
      recorders()[RECORDERS]?.delete(calls);
    },
  };
}

/** Rows of a CSV file with a header line; each row is an object keyed by the header's column names. */
export function csv<Row = Record<string, string>>(path: string): Feeder<Row> {
  let cache: Row[] | undefined;
  const sinks = recorders()[RECORDERS];
  if (sinks?.size) {
    // Only while the loader imports the scenario (a worker records nothing). The stack is formatted when
    // the loader reads it, through the bundle's source map: its first frame is the scenario's line.
    const site: {stack?: string} = {};
    Error.captureStackTrace(site, csv);
    for (const calls of sinks) calls.push({path, site});
  }
  return {
    kind: 'feeder',
    rows() {
      cache ??= readCsv<Row>(path, scenarioDir).rows;
      return cache;
    },
  };
}

/** A CSV file read whole: its header's columns and its rows. */
export interface CsvTable<Row = Record<string, string>> {
  /** The file, resolved. */
  readonly file: string;
  readonly columns: ReadonlyArray<string>;
  readonly rows: Row[];
}

/**
 * Reads and parses `path` (relative to `dir`), as a worker does on first use. A file that cannot be read,
 * does not parse, or has no data rows is a ScenarioError that starts with `csv('path'):` and names the file.
 */
export function readCsv<Row = Record<string, string>>(path: string, dir: string): CsvTable<Row> {
  const file = isAbsolute(path) ? path : resolve(dir, path);
  const said = `csv('${path}')`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const {code, message} = error as NodeJS.ErrnoException;
    throw new ScenarioError(code === 'ENOENT' ? `${said}: no such file ${file}` : `${said}: cannot read ${file}: ${message}`);
  }
  let columns: string[] = [];
  let rows: Row[];
  try {
    // bom: a file saved by Excel starts with one, which would otherwise become part of the first column's name.
    rows = parseCsv(text, {columns: (header: string[]) => (columns = header), bom: true, skip_empty_lines: true, trim: true}) as Row[];
  } catch (error) {
    throw new ScenarioError(`${said}: ${file} is not valid CSV: ${(error as Error).message}`);
  }
  if (columns.length === 0)
    throw new ScenarioError(`${said}: ${file} is empty: it needs a header line of column names, then a row per user`);
  if (rows.length === 0) throw new ScenarioError(`${said}: ${file} has no data rows, only its header (${columns.join(', ')})`);
  return {file, columns, rows};
}

/** Rows given inline (or generated) in the scenario. */
export function rows<Row>(items: ReadonlyArray<Row>): Feeder<Row> {
  if (!Array.isArray(items) || items.length === 0) throw new ScenarioError('rows([...]) needs at least one row');
  return {kind: 'feeder', rows: () => items};
}

/** The row a user gets: its own, until the rows run out, then they wrap around. */
export function rowFor<Row>(feeder: Feeder<Row>, userId: number): Row {
  if (!feeder || feeder.kind !== 'feeder') throw new ScenarioError('data(...) needs a feeder made with csv(...) or rows(...)');
  const all = feeder.rows();
  return all[userId % all.length];
}
