// One virtual user of a scenario: onStart (retried until it succeeds), then weighted tasks with think
// time until asked to stop, then onStop. A throwing task is a script error (counted apart from requests);
// the user goes on.
import {performance} from 'node:perf_hooks';
import {thinkSeconds, weightedIndex} from '../../scenario/define.js';
import type {TaskFn, UserContext, UserType} from '../../scenario/types.js';
import type {Recorder} from '../recorder.js';
import {Session, type SessionSettings} from './session.js';
import {UserSockets} from './user-sockets.js';
import type {Pools} from '../http/pools.js';
import {scriptLocation} from '../../kernel/script-location.js';
import {errorMessage} from '../http/classify.js';
import {onNextTurn} from './next-turn.js';
import {TaskContext, type ContextOwner} from './task-context.js';
import {basename} from 'node:path';

const START_RETRY_MS = [1000, 2000, 5000, 10_000];
/** The default task timeout (WorkerInit.taskTimeoutMs). */
export const TASK_TIMEOUT_MS = 60_000;
/** A task that failed without a response faster than this waits out the rest before the next one (no think time set). */
const FAILED_TASK_PAUSE_MS = 10;

export class VirtualUser {
  /** Replaced (forked) when a task is abandoned after the task timeout. */
  session: Session;
  /** The user's WebSockets and event streams: made when a task first asks for `ws` or `sse`. */
  private sockets: UserSockets | undefined;
  private stopRequested = false;
  private wake: (() => void) | undefined;
  private ctx: UserContext;
  private readonly taskTimeoutMs: number;
  /** The last task ended without a response to its last request, or threw. */
  private noResponse = false;
  private readonly weights: number[];
  private readonly totalWeight: number;
  private iteration: Promise<unknown> = Promise.resolve();
  /**
   * The task timeout's timer: one per user, checked when it fires rather than re-armed for each task
   * (re-arming a timer was about 2 % of a scenario request). It fires at most once a timeout, and then
   * either abandons the running task, waits out what that task has left, or lapses until the next task.
   */
  private taskTimer: NodeJS.Timeout | undefined;
  /** When the current (or last) task began, performance.now() ms: for the task timeout and for pacing. */
  private taskStartedAt = 0;
  /**
   * The running task (a promise; undefined between tasks), its name and what comes after it. Fields, not an
   * object a task: one user runs one task at a time, and this is scenario mode's hot path.
   */
  private running: PromiseLike<unknown> | undefined;
  private runningName = '';
  private runningThen: (ok: boolean) => void = () => {};
  /**
   * What a task's promise calls when it settles. Made again when a task is abandoned, so that the abandoned
   * task's late outcome finds handlers that are no longer the user's, and is ignored.
   */
  private settled = this.settleHandlers();
  /** How the closed loop ends. */
  private loopEnded: (() => void) | undefined;
  private stopped!: () => void;
  private readonly stopSignal = new Promise<void>((resolve) => {
    this.stopped = resolve;
  });
  /** Resolves once onStart succeeded (true), or the user was stopped first (false). */
  readonly ready: Promise<boolean>;
  readonly done: Promise<void>;

  /**
   * `open`: the user runs no loop of its own; an arrival scheduler hands it iterations (open model).
   * Otherwise it loops over weighted tasks with think time (closed model).
   */
  constructor(
    readonly userId: number,
    private readonly type: UserType,
    private readonly settings: SessionSettings & {readonly taskTimeoutMs?: number; readonly insecure?: boolean},
    private readonly pools: Pools,
    private readonly recorder: Recorder,
    private readonly scenarioFile: string,
    private readonly onStartFailed: () => void,
    open = false,
  ) {
    // The run's headers (Basic auth from --host), then the user type's, which win (SessionHeaders lowercases both).
    this.session = new Session({...settings, headers: {...settings.headers, ...type.headers}}, pools, recorder);
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
      this.closeSockets();
    });
  }

  get stopping(): boolean {
    return this.stopRequested;
  }

  /** Lets the current request finish, then ends the user. */
  stop(): void {
    this.stopRequested = true;
    this.session.stopping = true;
    this.sockets?.stop();
    this.wake?.();
    this.stopped();
  }

  /** Open model: one weighted task, its first request's latency counted from `dueAt` (performance.now() ms). */
  async iterate(dueAt: number): Promise<void> {
    if (!(await this.ready) || this.stopRequested) return;
    this.session.dueAt = dueAt;
    const task = this.type.tasks[weightedIndex(this.weights, this.totalWeight)];
    this.iteration = this.runTask(task.fn, task.name);
    await this.iteration;
    this.session.dueAt = undefined;
  }

  private async start(): Promise<boolean> {
    const {onStart} = this.type;
    if (!onStart) return true;
    for (let attempt = 0; !this.stopRequested; attempt++) {
      if (await this.runTask(onStart, `${this.type.name} onStart`)) return true;
      this.onStartFailed();
      await this.sleep(START_RETRY_MS[Math.min(attempt, START_RETRY_MS.length - 1)]);
    }
    return false;
  }

  /**
   * Closed model: weighted tasks with think time until stopped. Callbacks rather than an async loop: this
   * is scenario mode's hot path, and each await would cost a promise a task.
   */
  private loop(): Promise<void> {
    return new Promise((resolve) => {
      this.loopEnded = resolve;
      this.nextTask();
    });
  }

  /** `now`: the clock read for the loop's turn, when there is one (next-turn.ts). */
  private readonly nextTask = (now?: number): void => {
    if (this.stopRequested) return this.loopEnded!();
    const {tasks} = this.type;
    const task = tasks.length === 1 ? tasks[0] : tasks[weightedIndex(this.weights, this.totalWeight)];
    this.runTaskThen(task.fn, task.name, this.afterTask, now);
  };

  private readonly afterTask = (): void => {
    if (this.stopRequested) return this.loopEnded!();
    // The clock is read only when something depends on it (pacing, a failure's pause).
    const elapsed = this.type.wait?.kind === 'pacing' || this.noResponse ? performance.now() - this.taskStartedAt : 0;
    const think = thinkSeconds(this.type.wait, elapsed);
    if (think > 0) this.sleepThen(think * 1000, this.nextTask);
    // A task that fails in microseconds with no response (a refused connection, a throw) would spin and
    // starve the worker's other users: pause briefly, as quick mode does. Fast HTTP errors (a 503 storm) do not.
    else if (this.noResponse && elapsed < FAILED_TASK_PAUSE_MS) this.sleepThen(FAILED_TASK_PAUSE_MS - elapsed, this.nextTask);
    // The next task starts in the loop's next turn: a task with no I/O in it must not starve the worker,
    // and requests go out in batches (see next-turn.ts).
    else onNextTurn(this.nextTask);
  };

  private async finish(): Promise<void> {
    if (!this.type.onStop) return;
    this.session.stopping = false; // onStop may still send its logout
    this.sockets?.resume();
    await this.runTask(this.type.onStop, `${this.type.name} onStop`);
  }

  /** Runs a task; true when it neither threw nor ended on a failed request. */
  private runTask(fn: TaskFn, name: string): Promise<boolean> {
    return new Promise((resolve) => this.runTaskThen(fn, name, resolve));
  }

  /**
   * Runs a task and calls `then` with its outcome (see runTask), once. A task that outlives the task timeout
   * is abandoned: the user goes on with a fork of its session (same cookies), and the abandoned task's next
   * request ends it. What it had already received is recorded when it settles, if ever. `now`: when it starts.
   */
  private runTaskThen(fn: TaskFn, name: string, then: (ok: boolean) => void, now = performance.now()): void {
    this.taskStartedAt = now;
    this.sockets?.taskStart();
    let result: unknown;
    try {
      result = fn(this.ctx);
    } catch (error) {
      return this.settleThen(name, true, error, then);
    }
    if (typeof (result as PromiseLike<unknown> | undefined)?.then !== 'function') return this.settleThen(name, false, undefined, then);
    const task = result as PromiseLike<unknown>;
    this.running = task;
    this.runningName = name;
    this.runningThen = then;
    const ms = this.taskTimeoutMs;
    if (ms > 0 && ms < 2 ** 31) this.taskTimer ??= setTimeout(this.checkTaskTime, ms).unref();
    task.then(this.settled.ok, this.settled.threw);
  }

  /** The handlers of the tasks a user runs until one is abandoned (see `settled`). */
  private settleHandlers(): {readonly ok: () => void; readonly threw: (error: unknown) => void} {
    const end = (threw: boolean, error?: unknown): void => {
      if (this.settled !== handlers) return; // abandoned
      this.running = undefined;
      this.settleThen(this.runningName, threw, error, this.runningThen);
    };
    const handlers = {ok: () => end(false), threw: (error: unknown) => end(true, error)};
    return handlers;
  }

  /**
   * A task ended: `then` gets its outcome (see settle) once its requests have too. A task that returns while
   * requests it sent are still in flight forgot an `await`: the user waits for them before its next task, so
   * a user has no more requests out than one task sent (a missing await in a loop does not flood the target),
   * and each is recorded. Said once a task, with the line that sent the request: the task's next run keeps
   * where its requests were called from, and the first still in flight at its end names the line.
   */
  private settleThen(name: string, threw: boolean, error: unknown, then: (ok: boolean) => void): void {
    if (threw) this.sockets?.taskFailed();
    const {session} = this;
    if (session.inFlight === 0) {
      if (session.tracing) session.trace(false); // the traced run awaited all it sent: nothing to say
      return then(this.settle(name, threw, error));
    }
    this.unawaited(name, session);
    session.whenIdle(() => then(this.settle(name, threw, error)));
  }

  private unawaited(name: string, session: Session): void {
    if (this.recorder.warnedAbout(name)) return;
    const site = session.unawaitedSite;
    if (!site) return session.trace(true); // its next run says where
    session.trace(false);
    const where = scriptLocation(site, this.scenarioFile) ?? basename(this.scenarioFile);
    this.recorder.warn(
      `${where}: task '${name}' returned before its request ended (a missing await?): brink waits for a user's requests before its next task, and counts each one`,
      name,
    );
  }

  /** A task ended (it `threw`, or not): records what is left to record; true when it did not fail. */
  private settle(name: string, threw: boolean, error?: unknown): boolean {
    if (!threw) {
      const last = this.session.lastResponse;
      this.session.flush();
      this.noResponse = last?.status === 0;
      return !last?.failed;
    }
    this.noResponse = true;
    this.session.flush();
    const e = error as {brinkStopped?: boolean; brinkCounted?: boolean};
    if (e?.brinkStopped) return false;
    if (!e?.brinkCounted) this.recorder.scriptError(name, scriptLocation(error, this.scenarioFile), errorMessage(error));
    return false;
  }

  private readonly checkTaskTime = (): void => {
    this.taskTimer = undefined;
    if (!this.running) return;
    const left = this.taskStartedAt + this.taskTimeoutMs - performance.now();
    if (left > 0) this.taskTimer = setTimeout(this.checkTaskTime, Math.ceil(left)).unref();
    else this.taskTimeUp();
  };

  /** The running task is older than the task timeout: it is abandoned. */
  private taskTimeUp(): void {
    const task = this.running;
    if (!task) return;
    this.running = undefined;
    this.settled = this.settleHandlers();
    const abandoned = this.session;
    this.session = abandoned.fork();
    this.ctx = this.context(this.ctx.vars); // the same vars, the new session
    task.then(
      () => abandoned.flush(),
      () => abandoned.flush(),
    );
    this.noResponse = true;
    this.recorder.scriptError(this.runningName, undefined, `task did not finish within ${this.taskTimeoutMs / 1000} s`);
    this.runningThen(false);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.sleepThen(ms, resolve));
  }

  /** Calls `fn` after `ms`, or at once when the user is (or gets) stopped. */
  private sleepThen(ms: number, fn: () => void): void {
    if (this.stopRequested) return fn();
    const done = () => {
      clearTimeout(timer);
      if (this.wake === done) this.wake = undefined;
      fn();
    };
    const timer = setTimeout(done, ms);
    this.wake = done;
  }

  /** Closes every WebSocket and event stream the user still holds: it ended, or its worker stops. */
  closeSockets(): void {
    this.sockets?.shut();
  }

  private socketsOf(): UserSockets {
    this.sockets ??= new UserSockets(
      () => this.session,
      {
        baseUrl: this.settings.baseUrl,
        timeoutMs: this.settings.timeoutMs,
        insecure: this.settings.insecure ?? false,
        guard: this.pools.guard,
      },
      this.recorder,
    );
    if (this.stopRequested) this.sockets.stop();
    return this.sockets;
  }

  private context(vars: Record<string, any> = {}): UserContext {
    return new TaskContext(this.session, this.userId, this.type.name, vars, this.owner);
  }

  /** What the user's task contexts need of it. */
  private readonly owner: ContextOwner = {sockets: () => this.socketsOf(), sleep: (ms) => this.sleep(ms)};
}
