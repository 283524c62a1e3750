// Loads a user's TypeScript scenario: esbuild bundles it once, in the main thread, into a temporary
// .mjs that workers import. esbuild rather than tsx: it resolves `brink` to this very package even
// when the user's project does not install it (one module instance), reports syntax errors as
// file:line, and costs one build, not one compile per worker. It does not type-check.
import {mkdtempSync, rmSync, existsSync, readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {basename, join, resolve, dirname, relative} from 'node:path';
import {pathToFileURL} from 'node:url';
import type {Scenario} from './types.js';
import {selfEntryUrl} from '../kernel/spawn-worker.js';
import {recordCsvCalls, setScenarioDir} from './feeder.js';
import {scriptLocation} from '../kernel/script-location.js';
import {BrinkError, type ErrorCode} from '../kernel/errors.js';

export class ScenarioLoadError extends BrinkError {
  override name = 'ScenarioLoadError';

  constructor(message: string, code: ErrorCode = 'BRINK_E_SCENARIO') {
    super(code, message);
  }
}

export interface LoadedScenario {
  readonly file: string;
  readonly bundleUrl: string;
  readonly scenario: Scenario;
  /** The csv() files its top level named, resolved (agents on other machines are sent them). */
  readonly dataFiles: ReadonlyArray<string>;
  /** Removes the temporary bundle. */
  dispose(): void;
}

export async function loadScenario(path: string): Promise<LoadedScenario> {
  const file = resolve(path);
  const shown = relative(process.cwd(), file) || file;
  if (!existsSync(file)) throw new ScenarioLoadError(`${shown}: no such scenario file`);
  const dir = mkdtempSync(join(tmpdir(), 'brink-scenario-'));
  const outfile = join(dir, 'scenario.mjs');
  const dispose = () => rmSync(dir, {recursive: true, force: true});
  try {
    // Required when needed (quick mode never does), not imported: import() of esbuild's CommonJS entry
    // cost ~44 ms of CPU, most of it scanning the source for export names; require() ~8 ms.
    const {build} = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
    await build({
      entryPoints: [file],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'inline',
      logLevel: 'silent',
      // Packages the user's scenario imports from its own node_modules stay external only if they are native.
      plugins: [
        {
          name: 'brink-self',
          setup(b) {
            b.onResolve({filter: /^brink$/}, () => ({path: selfEntryUrl(), external: true}));
          },
        },
      ],
    });
  } catch (error) {
    dispose();
    const first = (error as {errors?: Array<{text: string; location?: {file: string; line: number; column: number}}>}).errors?.[0];
    if (first) {
      const where = first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}` : shown;
      throw new ScenarioLoadError(`${where}: ${first.text}`);
    }
    throw new ScenarioLoadError(`${shown}: ${(error as Error).message}`);
  }
  const bundleUrl = pathToFileURL(outfile).href;
  process.setSourceMapsEnabled(true);
  setScenarioDir(dirname(file));
  let scenario: Scenario;
  const csvCalls = recordCsvCalls();
  // The scenario's top level runs in brink's own thread here: a process.exit() in it must not end brink.
  const exit = process.exit;
  process.exit = ((code?: number | string) => {
    throw new Error(`process.exit(${code ?? ''}) called at the scenario's top level`);
  }) as typeof process.exit;
  try {
    scenario = (await withinLoadTime(import(bundleUrl), shown)).default as Scenario;
  } catch (error) {
    dispose();
    if (error instanceof ScenarioLoadError) throw error;
    const where = scriptLocation(error, file) ?? missingExportLine(error, file);
    throw new ScenarioLoadError(
      `${where ? (relative(process.cwd(), dirname(file)) ? join(relative(process.cwd(), dirname(file)), where) : where) : shown}: ${(error as Error).message}`,
    );
  } finally {
    process.exit = exit;
    csvCalls.stop();
  }
  if (!scenario || scenario.kind !== 'scenario') {
    dispose();
    throw new ScenarioLoadError(`${shown}: the default export must be scenario({...}) (import {scenario} from 'brink')`);
  }
  // The csv() files the scenario made feeders of, checked now rather than by the workers mid-run. Scenarios
  // without one load neither the check nor the CSV parser.
  if (csvCalls.calls.length > 0) {
    const problem = (await import('./feeder-check.js')).checkCsvCalls(csvCalls.calls, file);
    if (problem) {
      dispose();
      throw new ScenarioLoadError(problem, 'BRINK_E_FEEDER');
    }
  }
  const dataFiles = [...new Set(csvCalls.calls.map((c) => resolve(dirname(file), c.path)))];
  return {file, bundleUrl, scenario, dataFiles, dispose};
}

/** How long a scenario's top level may take to run (its top-level awaits included). */
export const LOAD_TIMEOUT_MS = 10_000;

/**
 * The import, or a load error once LOAD_TIMEOUT_MS passed: a top-level await that never settles left nothing
 * for the event loop to wait on, and brink exited 0, silently. The timer keeps the process alive meanwhile.
 */
function withinLoadTime<T>(loading: Promise<T>, shown: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ScenarioLoadError(
            `${shown}: its top level did not finish within ${LOAD_TIMEOUT_MS / 1000} s (a top-level await that never settles?)`,
          ),
        ),
      LOAD_TIMEOUT_MS,
    );
  });
  return Promise.race([loading, late]).finally(() => clearTimeout(timer));
}

/**
 * `file:line` of the import naming an export a module does not have. Node's SyntaxError says which name and which
 * module, with no line in the scenario: the line is found in the scenario's own source.
 */
function missingExportLine(error: unknown, file: string): string | undefined {
  const name = /does not provide an export named '([^']+)'/.exec(String((error as Error)?.message))?.[1];
  if (!name) return undefined;
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  // The named imports of the file, each `{ … }` searched for the name as a whole word.
  for (const m of source.matchAll(/\bimport\s+(?:type\s+)?(?:[\w$]+\s*,\s*)?\{([^}]*)\}\s*from\s*['"][^'"]+['"]/g)) {
    const inBraces = new RegExp(`(^|[\\s,])${name.replace(/\$/g, '\\$')}(?=[\\s,]|$)`).exec(m[1]);
    if (!inBraces) continue;
    const offset = m.index + m[0].indexOf('{') + 1 + inBraces.index + inBraces[1].length;
    return `${basename(file)}:${source.slice(0, offset).split('\n').length}`;
  }
  return undefined;
}
