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

const START_RETRY_MS = [1000, 2000, 5000, 10_000];

export class VirtualUser {
  readonly session: Session;
  private stopRequested = false;
  private wake: (() => void) | undefined;
  startFailures = 0;
  done: Promise<void>;

  constructor(readonly userId: number, private readonly type: UserType, settings: SessionSettings, pools: Pools, private readonly recorder: Recorder, private readonly scenarioFile: string, private readonly onStartFailed: () => void) {
    this.session = new Session({...settings, headers: type.headers}, pools, recorder);
    this.done = this.run();
  }

  get stopping(): boolean {
    return this.stopRequested;
  }

  /** Lets the current request finish, then ends the user. */
  stop(): void {
    this.stopRequested = true;
    this.session.stopping = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    const ctx = this.context();
    const {type} = this;
    if (type.onStart) {
      for (let attempt = 0; !this.stopRequested; attempt++) {
        if (await this.runTask(type.onStart, `${type.name} onStart`, ctx)) break;
        this.onStartFailed();
        await this.sleep(START_RETRY_MS[Math.min(attempt, START_RETRY_MS.length - 1)]);
      }
    }
    const weights = type.tasks.map((t) => t.weight);
    const total = weights.reduce((a, b) => a + b, 0);
    while (!this.stopRequested) {
      const task = type.tasks[weightedIndex(weights, total)];
      const started = performance.now();
      await this.runTask(task.fn, task.name, ctx);
      if (this.stopRequested) break;
      const think = thinkSeconds(type.wait, performance.now() - started);
      if (think > 0) await this.sleep(think * 1000);
      else await yieldToLoop(); // a task with no await must not starve the worker's event loop
    }
    if (type.onStop) {
      this.session.stopping = false; // onStop may still send its logout
      await this.runTask(type.onStop, `${type.name} onStop`, ctx);
    }
  }

  /** Runs a task; true when it neither threw nor ended on a failed request. */
  private async runTask(fn: TaskFn, name: string, ctx: UserContext): Promise<boolean> {
    try {
      await fn(ctx);
      const last = this.session.lastResponse;
      this.session.flush();
      return !last?.failed;
    } catch (error) {
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

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
