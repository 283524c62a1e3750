// Runs the real engine (worker threads, undici, the esbuild scenario loader) for a short while.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Engine, type EngineOptions} from '../../source/engine/engine.js';
import type {Workload} from '../../source/protocol/messages.js';
import type {EndpointState, RunState, ScriptErrorState} from '../../source/engine/run-state.js';
import {loadScenario, type LoadedScenario} from '../../source/scenario/load.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A temp directory for fixture files; `cleanup()` removes it. */
export function tempDir(prefix = 'brink-test-'): {dir: string; write(name: string, text: string): string; cleanup(): void} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    write(name, text) {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    cleanup: () => rmSync(dir, {recursive: true, force: true}),
  };
}

/** Writes a scenario file (its source imports from 'brink') into a temp dir and loads it. */
export async function scenarioFile(
  source: string,
  name = 'scenario.ts',
): Promise<LoadedScenario & {workload: Workload; source: string; cleanup(): void}> {
  const tmp = tempDir('brink-scenario-test-');
  const file = tmp.write(name, source);
  try {
    const loaded = await loadScenario(file);
    return {
      ...loaded,
      source,
      workload: {kind: 'scenario', bundleUrl: loaded.bundleUrl, scenarioFile: loaded.file},
      cleanup() {
        loaded.dispose();
        tmp.cleanup();
      },
    };
  } catch (error) {
    tmp.cleanup();
    throw error;
  }
}

export interface RunOptions extends Omit<EngineOptions, 'intervalMs'> {
  readonly users: number;
  /** How long the users run before stop(), in ms. */
  readonly durationMs: number;
  readonly intervalMs?: number;
}

/** Starts an engine, runs `users` for `durationMs`, stops it and returns the final state and the states seen. */
export async function run(options: RunOptions): Promise<{final: RunState; states: RunState[]}> {
  const engine = new Engine({workers: 1, intervalMs: 250, ...options});
  await engine.start();
  const states: RunState[] = [];
  engine.onState((s) => states.push(s));
  try {
    engine.setUsers(options.users);
    await sleep(options.durationMs);
  } catch (error) {
    await engine.stop();
    throw error;
  }
  const final = await engine.stop();
  return {final, states};
}

export function endpoint(state: RunState, key: string): EndpointState {
  const found = state.endpoints.find((e) => e.key === key);
  if (!found) throw new Error(`no endpoint '${key}' in [${state.endpoints.map((e) => e.key).join(', ')}]`);
  return found;
}

/** The script errors of one task (a task name, `u onStart`, `(uncaught error)`), by place and message. */
export function scriptErrors(state: RunState, task: string): ScriptErrorState[] {
  return state.scriptErrors.filter((e) => e.task === task);
}

/** How many script errors a task had, over every place and message. */
export function scriptErrorCount(state: RunState, task: string): number {
  return scriptErrors(state, task).reduce((n, e) => n + e.count, 0);
}

/** `key → requests` for every endpoint brink reports. */
export function brinkCounts(state: RunState): Record<string, number> {
  return Object.fromEntries(state.endpoints.map((e) => [e.key, e.requests]));
}
