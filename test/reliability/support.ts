// Shared by the reliability tests: an engine run that can look inside the workers mid-run (open
// handles), memory figures, and waiting for a server's connections to drain.
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {Engine, type EngineOptions} from '../../source/engine/engine.js';
import type {WorkerProbe} from '../../source/protocol/messages.js';
import type {RunState} from '../../source/engine/run-state.js';
import type {Counted} from '../helpers/misbehaving-server.js';
import {sleep} from '../helpers/run.js';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** A full garbage collection (main thread), so RSS figures are not just uncollected garbage. */
export function gc(): void {
  collect();
}

export const MB = 1024 * 1024;

/** This process's resident memory, MB: the test runner, the engine and its worker threads together. */
export function rssMb(): number {
  return process.memoryUsage().rss / MB;
}

/** Samples RSS every `everyMs` until stopped; `peak` is the highest seen, `samples` every reading (MB). */
export function rssSampler(everyMs = 25): {readonly peak: number; readonly samples: readonly number[]; stop(): number} {
  const samples = [rssMb()];
  const peak = () => Math.max(...samples);
  const timer = setInterval(() => samples.push(rssMb()), everyMs);
  return {
    get peak() {
      return peak();
    },
    samples,
    stop() {
      clearInterval(timer);
      samples.push(rssMb());
      return peak();
    },
  };
}

/** Sockets (plain and TLS) a worker holds, from process.getActiveResourcesInfo(). */
export function sockets(probe: WorkerProbe): number {
  return Object.entries(probe.resources)
    .filter(([k]) => /TCP|TLS|Pipe/i.test(k) && !/Server/i.test(k))
    .reduce((n, [, v]) => n + v, 0);
}

/** Waits until none of `servers` has an open connection (closing is asynchronous on the server side); returns how many remain. */
export async function drained(servers: ReadonlyArray<Counted>, withinMs = 2000): Promise<number> {
  const until = Date.now() + withinMs;
  let open = servers.reduce((n, s) => n + s.open, 0);
  while (open > 0 && Date.now() < until) {
    await sleep(20);
    open = servers.reduce((n, s) => n + s.open, 0);
  }
  return open;
}

export interface ProbedRun {
  readonly final: RunState;
  readonly states: RunState[];
  /** What each worker held open `probeAtMs` into the run. */
  readonly probes: WorkerProbe[];
  readonly engine: Engine;
}

/**
 * Runs `users` for `durationMs`, probing the workers' open handles at `probeAtMs` and calling `during`
 * (at the start, with the engine) for tests that act mid-run. Everything stops by itself.
 */
export async function probedRun(
  options: EngineOptions & {users: number; durationMs: number; probeAtMs?: number; during?: (engine: Engine) => Promise<void> | void},
): Promise<ProbedRun> {
  const engine = new Engine({workers: 1, intervalMs: 250, ...options});
  await engine.start();
  const states: RunState[] = [];
  engine.onState((s) => states.push(s));
  let probes: WorkerProbe[] = [];
  try {
    engine.setUsers(options.users);
    const probing = (async () => {
      await sleep(options.probeAtMs ?? options.durationMs - 200);
      probes = await engine.probe();
    })();
    await Promise.all([sleep(options.durationMs), probing, options.during?.(engine)]);
  } finally {
    await engine.stop();
  }
  return {final: engine.state, states, probes, engine};
}
