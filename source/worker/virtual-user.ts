// One virtual user of a scenario: onStart (retried until it succeeds), then weighted tasks with think
// time until asked to stop, then onStop. A throwing task is a `script` failure; the user goes on.
import {performance} from 'node:perf_hooks';
import {thinkSeconds, weightedIndex} from '../scenario/define.js';
import {rowFor} from '../scenario/feeder.js';
import type {TaskFn, UserContext, UserType} from '../scenario/types.js';
import type {Recorder} from './recorder.js';
import {Session, type SessionSettings} from './session.js';
import type {Pools} from './pools.js';
import {scriptLocation} from './script-location.js';
import {errorMessage} from './classify.js';
import {nextTurn} from './next-turn.js';

const START_RETRY_MS = [1000, 2000, 5000, 10_000];
/** The default task timeout (WorkerInit.taskTimeoutMs). */
export const TASK_TIMEOUT_MS = 60_000;
const TASK_TIMED_OUT = Symbol('task timed out');
/** A task that failed without a response faster than this waits out the rest before the next one (no think time set). */
const FAILED_TASK_PAUSE_MS = 10;

export class VirtualUser {
  /** Replaced (forked) when a task is abandoned after the task timeout. */
  session: Session;
  private stopRequested = false;
  private wake: (() => void) | undefined;
  private ctx: UserContext;
  private readonly taskTimeoutMs: number;
  /** The last task ended without a response to its last request, or threw. */
  private noResponse = false;
  private readonly weights: number[];
  private readonly totalWeight: number;
  private iteration: Promise<unknown> = Promise.resolve();
  /** The task timeout's timer: one per user, re-armed for each task (a timer a task costs CPU). */
  private taskTimer: NodeJS.Timeout | undefined;
  private taskTimerMs = 0;
  private taskStartedAt = 0;
  /** Ends the task being awaited as timed out; set while a task runs. */
  private abandonTask: (() => void) | undefined;
  private stopped!: () => void;
  private readonly stopSignal = new Promise<void>((resolve) => { this.stopped = resolve; });
  /** Resolves once onStart succeeded (true), or the user was stopped first (false). */
  readonly ready: Promise<boolean>;
  readonly done: Promise<void>;

  /**
   * `open`: the user runs no loop of its own; an arrival scheduler hands it iterations (open model).
   * Otherwise it loops over weighted tasks with think time (closed model).
   */
  constructor(readonly userId: number, private readonly type: UserType, settings: SessionSettings & {readonly taskTimeoutMs?: number}, pools: Pools, private readonly recorder: Recorder, private readonly scenarioFile: string, private readonly onStartFailed: () => void, open = false) {
    this.session = new Session({...settings, headers: type.headers}, pools, recorder);
    this.taskTimeoutMs = settings.taskTimeoutMs ?? TASK_TIMEOUT_MS;
    this.ctx = this.context();
    this.weights = type.tasks.map((t) => t.weight);
    this.totalWeight = this.weights.reduce((a, b) => a + b, 0);
    this.ready = this.start();
    this.done = this.ready.then(async (started) => {
      if (open) {
        await this.stopSignal;
        await this.iteration;
      } else if (started) {
        await this.loop();
      }
      if (started) await this.finish();
      clearTimeout(this.taskTimer);
    });
  }

  get stopping(): boolean {
    return this.stopRequested;
  }

  /** Lets the current request finish, then ends the user. */
  stop(): void {
    this.stopRequested = true;
    this.session.stopping = true;
    this.wake?.();
    this.stopped();
  }

  /** Open model: one weighted task, its first request's latency counted from `dueAt` (performance.now() ms). */
  async iterate(dueAt: number): Promise<void> {
    if (!(await this.ready) || this.stopRequested) return;
    this.session.dueAt = dueAt;
    const task = this.type.tasks[weightedIndex(this.weights, this.totalWeight)];
    this.iteration = this.runTask(task.fn, task.name, this.ctx);
    await this.iteration;
    this.session.dueAt = undefined;
  }

  private async start(): Promise<boolean> {
    const {onStart} = this.type;
    if (!onStart) return true;
    for (let attempt = 0; !this.stopRequested; attempt++) {
      if (await this.runTask(onStart, `${this.type.name} onStart`, this.ctx)) return true;
      this.onStartFailed();
      await this.sleep(START_RETRY_MS[Math.min(attempt, START_RETRY_MS.length - 1)]);
    }
    return false;
  }

  private async loop(): Promise<void> {
    while (!this.stopRequested) {
      const task = this.type.tasks[weightedIndex(this.weights, this.totalWeight)];
      const started = performance.now();
      await this.runTask(task.fn, task.name, this.ctx);
      if (this.stopRequested) break;
      const elapsed = performance.now() - started;
      const think = thinkSeconds(this.type.wait, elapsed);
      if (think > 0) await this.sleep(think * 1000);
      // A task that fails in microseconds with no response (a refused connection, a throw) would spin and
      // starve the worker's other users: pause briefly, as quick mode does. Fast HTTP errors (a 503 storm) do not.
      else if (this.noResponse && elapsed < FAILED_TASK_PAUSE_MS) await this.sleep(FAILED_TASK_PAUSE_MS - elapsed);
      // The next task starts in the loop's next turn: a task with no I/O in it must not starve the worker,
      // and requests go out in batches (see next-turn.ts).
      else await nextTurn();
    }
  }

  private async finish(): Promise<void> {
    if (!this.type.onStop) return;
    this.session.stopping = false; // onStop may still send its logout
    await this.runTask(this.type.onStop, `${this.type.name} onStop`, this.ctx);
  }

  /** Runs a task; true when it neither threw nor ended on a failed request. */
  private async runTask(fn: TaskFn, name: string, ctx: UserContext): Promise<boolean> {
    try {
      await this.bounded(fn(ctx));
      const last = this.session.lastResponse;
      this.session.flush();
      this.noResponse = last?.status === 0;
      return !last?.failed;
    } catch (error) {
      this.noResponse = true;
      if (error === TASK_TIMED_OUT) {
        this.recorder.endpoint('TASK', name).record(0, 0, 'script', `task did not finish within ${this.taskTimeoutMs / 1000} s`);
        return false;
      }
      this.session.flush();
      const e = error as {brinkStopped?: boolean; brinkCounted?: boolean};
      if (e?.brinkStopped) return false;
      if (!e?.brinkCounted) {
        const where = scriptLocation(error, this.scenarioFile);
        this.recorder.endpoint('TASK', name).record(0, 0, 'script', `${errorMessage(error)}${where ? ` (${where})` : ''}`);
      }
      return false;
    }
  }

  /**
   * A task that outlives the task timeout is abandoned: the user goes on with a fork of its session
   * (same cookies), and the abandoned task's next request ends it. What it had already received is
   * recorded when it settles, if ever.
   */
  private bounded(result: unknown): unknown {
    const ms = this.taskTimeoutMs;
    if (typeof (result as PromiseLike<unknown> | undefined)?.then !== 'function' || !(ms > 0 && ms < 2 ** 31)) return result;
    const task = result as PromiseLike<unknown>;
    this.taskStartedAt = performance.now();
    this.armTaskTimer(ms);
    // By hand rather than Promise.race: one subscription a task.
    return new Promise((resolve, reject) => {
      let settled = false;
      this.abandonTask = () => {
        if (settled) return;
        settled = true;
        const abandoned = this.session;
        this.session = abandoned.fork();
        this.ctx = {...this.ctx, http: this.session};
        task.then(() => abandoned.flush(), () => abandoned.flush());
        reject(TASK_TIMED_OUT);
      };
      task.then((value) => {
        if (settled) return;
        settled = true;
        this.abandonTask = undefined;
        resolve(value);
      }, (error: unknown) => {
        if (settled) return;
        settled = true;
        this.abandonTask = undefined;
        reject(error);
      });
    });
  }

  /** The user's task timer fired: the running task (if it is that old) is abandoned, else the timer waits for the rest. */
  private taskTimeUp(): void {
    if (!this.abandonTask) return;
    const left = this.taskTimeoutMs - (performance.now() - this.taskStartedAt);
    if (left > 1) return this.armTaskTimer(left);
    const abandon = this.abandonTask;
    this.abandonTask = undefined;
    abandon();
  }

  private armTaskTimer(ms: number): void {
    if (this.taskTimer && this.taskTimerMs === ms) {
      this.taskTimer.refresh();
      return;
    }
    clearTimeout(this.taskTimer);
    this.taskTimer = setTimeout(() => this.taskTimeUp(), ms).unref();
    this.taskTimerMs = ms;
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopRequested) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() { clearTimeout(timer); resolve(); }
      this.wake = done;
    });
  }

  private context(): UserContext {
    const user = this;
    return {
      http: this.session,
      userId: this.userId,
      userType: this.type.name,
      vars: {},
      pick: (items) => items[Math.floor(Math.random() * items.length)],
      randomInt: (min, max) => min + Math.floor(Math.random() * (max - min + 1)),
      data: (feeder) => rowFor(feeder, user.userId),
      sleep: (seconds) => user.sleep(seconds * 1000),
    };
  }
}
