// The builders a scenario file calls. They validate eagerly so that a mistake is reported
// with the scenario's own line before any load starts.
import type {Scenario, ScenarioOptions, Task, TaskFn, UserOptions, UserType, Wait} from './types.js';

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

function positive(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ScenarioError(`${what} must be a positive number, got ${String(value)}`);
  }
  return value;
}

/** A weighted task: `task(fn)`, `task(weight, fn)` or `task(weight, name, fn)`. */
export function task(fn: TaskFn): Task;
export function task(name: string, fn: TaskFn): Task;
export function task(weight: number, fn: TaskFn): Task;
export function task(weight: number, name: string, fn: TaskFn): Task;
export function task(a: number | string | TaskFn, b?: string | TaskFn, c?: TaskFn): Task {
  const weight = typeof a === 'number' ? positive(a, 'task weight') : 1;
  const fn = typeof a === 'function' ? a : typeof b === 'function' ? b : c;
  if (typeof fn !== 'function') throw new ScenarioError('task(...) needs a function');
  // task('checkout', fn) names the task as task(1, 'checkout', fn) does (it used to be ignored, silently).
  const name = typeof b === 'string' ? b : typeof a === 'string' ? a : fn.name || '';
  return {kind: 'task', weight, name, fn};
}

/** A user type: a name, options (weight, wait, onStart…) when it needs any, and its tasks. */
export function user(name: string, tasks: ReadonlyArray<Task | TaskFn>): UserType;
export function user(name: string, options: UserOptions, tasks: ReadonlyArray<Task | TaskFn>): UserType;
export function user(
  name: string,
  optionsOrTasks: UserOptions | ReadonlyArray<Task | TaskFn>,
  maybeTasks?: ReadonlyArray<Task | TaskFn>,
): UserType {
  const [options, tasks]: [UserOptions, unknown] = Array.isArray(optionsOrTasks)
    ? [{}, optionsOrTasks]
    : [(optionsOrTasks ?? {}) as UserOptions, maybeTasks];
  if (!name) throw new ScenarioError('user(...) needs a name');
  if (!Array.isArray(tasks) || tasks.length === 0) throw new ScenarioError(`user '${name}' needs at least one task`);
  const normalised = (tasks as ReadonlyArray<Task | TaskFn>).map((t, i) => {
    const one = typeof t === 'function' ? task(t) : t;
    if (!one || one.kind !== 'task') throw new ScenarioError(`user '${name}': item ${i + 1} is not a task`);
    return one.name ? one : {...one, name: `${name} task ${i + 1}`};
  });
  return {...options, kind: 'user', name, weight: positive(options.weight ?? 1, `user '${name}' weight`), tasks: normalised};
}

/** The scenario a file exports as default. */
export function scenario(options: ScenarioOptions): Scenario {
  if (!options || !Array.isArray(options.users) || options.users.length === 0) {
    throw new ScenarioError('scenario({users: [...]}) needs at least one user type');
  }
  const names = new Set<string>();
  for (const u of options.users) {
    if (!u || u.kind !== 'user') throw new ScenarioError('scenario users must be made with user(...)');
    if (names.has(u.name)) throw new ScenarioError(`two user types are named '${u.name}'`);
    names.add(u.name);
  }
  return {...options, kind: 'scenario', name: options.name ?? 'scenario'};
}

/** Think time drawn uniformly from [min, max] seconds after each task (Locust's `between`). */
export function between(min: number, max: number): Wait {
  if (!(min >= 0) || !(max >= min)) throw new ScenarioError(`between(${min}, ${max}) needs 0 <= min <= max`);
  return {kind: 'between', min, max};
}

/** A fixed think time in seconds after each task. */
export function constant(seconds: number): Wait {
  if (!(seconds >= 0)) throw new ScenarioError(`constant(${seconds}) needs seconds >= 0`);
  return {kind: 'constant', seconds};
}

/** Starts a task at most every `seconds` seconds, whatever the task took (Locust's `constant_pacing`). */
export function pacing(seconds: number): Wait {
  return {kind: 'pacing', seconds: positive(seconds, 'pacing')};
}

/** Seconds to wait after a task that started at `startedMs` and ended now. */
export function thinkSeconds(wait: Wait | undefined, taskMs: number, random: () => number = Math.random): number {
  if (!wait) return 0;
  switch (wait.kind) {
    case 'between':
      return wait.min + (wait.max - wait.min) * random();
    case 'constant':
      return wait.seconds;
    case 'pacing':
      return Math.max(0, wait.seconds - taskMs / 1000);
  }
}

/** Picks an index with probability proportional to its weight. */
export function weightedIndex(weights: ReadonlyArray<number>, total: number, random: () => number = Math.random): number {
  let r = random() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return weights.length - 1;
}
