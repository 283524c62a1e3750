// Loads a user's TypeScript scenario: esbuild bundles it once, in the main thread, into a temporary
// .mjs that workers import. esbuild rather than tsx: it resolves `brink` to this very package even
// when the user's project does not install it (one module instance), reports syntax errors as
// file:line, and costs one build, not one compile per worker. It does not type-check.
import {mkdtempSync, rmSync, existsSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {join, resolve, dirname, relative} from 'node:path';
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
  try {
    scenario = (await import(bundleUrl)).default as Scenario;
  } catch (error) {
    dispose();
    const where = scriptLocation(error, file);
    throw new ScenarioLoadError(
      `${where ? (relative(process.cwd(), dirname(file)) ? join(relative(process.cwd(), dirname(file)), where) : where) : shown}: ${(error as Error).message}`,
    );
  } finally {
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
  return {file, bundleUrl, scenario, dispose};
}
