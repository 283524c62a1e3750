// Test data for scenarios. A CSV file is read lazily, on first use inside a worker, relative to the
// scenario file, so a scenario's top level stays cheap and the path works wherever brink is started.
import {readFileSync} from 'node:fs';
import {isAbsolute, resolve} from 'node:path';
import {createRequire} from 'node:module';
import type {Feeder} from './types.js';
import {ScenarioError} from './define.js';

// csv-parse's CommonJS build, required on first use: rows() is synchronous, and a scenario that reads no CSV
// (or a quick run, which loads this module too) need not load the parser.
const require = createRequire(import.meta.url);
const parseCsv = (text: string, options: import('csv-parse/sync').Options): unknown[] => (require('csv-parse/sync') as typeof import('csv-parse/sync')).parse(text, options);

let scenarioDir = process.cwd();
/** Set by the loader: where relative data paths are resolved from. */
export function setScenarioDir(dir: string): void {
  scenarioDir = dir;
}

/** Rows of a CSV file with a header line; each row is an object keyed by the header's column names. */
export function csv<Row = Record<string, string>>(path: string): Feeder<Row> {
  let cache: Row[] | undefined;
  return {
    kind: 'feeder',
    rows() {
      if (cache) return cache;
      const file = isAbsolute(path) ? path : resolve(scenarioDir, path);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new ScenarioError(`csv('${path}'): cannot read ${file}: ${(error as Error).message}`);
      }
      cache = parseCsv(text, {columns: true, skip_empty_lines: true, trim: true}) as Row[];
      if (cache.length === 0) throw new ScenarioError(`csv('${path}'): ${file} has no data rows`);
      return cache;
    },
  };
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
