// The controller: owns the workers, the user target and the interval clock. It knows nothing of how
// the run is shown; consumers subscribe to RunState updates and call setUsers()/stop().
import {performance} from 'node:perf_hooks';
import os from 'node:os';
import type {Worker} from 'node:worker_threads';
import {Aggregator} from './aggregator.js';
import type {IntervalSnapshot} from '../protocol/snapshot.js';
import type {RunState} from './run-state.js';
import type {SegmentKind} from './segments.js';
import type {ControlMessage, WorkerInit, WorkerMessage, WorkerProbe, Workload} from '../protocol/messages.js';
import {spawnWorker} from '../kernel/spawn-worker.js';
import {WorkerOutput} from './worker-output.js';

export interface EngineOptions {
  readonly workload: Workload;
  readonly host: string;
  /** Worker threads (default: one per core; the CLI gives a target on this machine half of them). */
  readonly workers?: number;
  /** Snapshot interval in ms (default 1000). */
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly maxBodyBytes?: number;
  readonly maxEndpoints?: number;
  readonly insecure?: boolean;
  /** A scenario task still running after this long is a `script` failure and its user goes on (default 60 s). */
  readonly taskTimeoutMs?: number;
  /** Requests a second the workers never exceed together (--max-rps). */
  readonly maxRps?: number;
}

export class EngineError extends Error {
  override name = 'EngineError';
}

type Listener = (state: RunState) => void;

/**
 * How often a ramp hands out the users now due. At 100 ms, -r 2000 started users in batches of 200 that
 * asked at once, and the target's queueing of those bursts was measured (ramp p95 5–8 ms against 1.6–2.2 ms
 * at 20 ms, 20,000 think-time users on nginx, 3 runs each): a ramp must arrive as evenly as it was asked for.
 */
const RAMP_TICK_MS = 20;
/** Workers that die (a scenario calling process.exit(), a crash) are replaced, up to this many times a run. */
const MAX_REPLACEMENTS = 20;

export class Engine {
  private readonly workers: Worker[] = [];
  private readonly listeners = new Set<Listener>();
  private aggregator!: Aggregator;
  private timer: NodeJS.Timeout | undefined;
  private rampTimer: NodeJS.Timeout | undefined;
  private seq = 0;
  private pending = new Map<number, IntervalSnapshot[]>();
  /** Snapshots that arrived after their tick was closed; they join the next one. */
  private late: IntervalSnapshot[] = [];
  private sentUsers = 0;
  private targetRate: number | undefined;
  private maxUsers = 0;
  /** Users each worker reported running at its last snapshot. */
  private readonly activeUsers = new Map<number, number>();
  private rampFrom = 0;
  private targetUsers = 0;
  private spawnRate = Infinity;
  private rampStartedAt = 0;
  private cpu = process.cpuUsage();
  private cpuAt = performance.now();
  private stopped: Promise<RunState> | undefined;
  private fatal: string | undefined;
  /** Worker slots that died and could not be replaced. */
  private readonly dead = new Set<number>();
  private replacements = 0;
  /** Events noted before the run started (the aggregator does not exist yet). */
  private early: Array<['info' | 'warning', string]> | undefined = [];
  private readonly probes = new Map<Worker, (probe: WorkerProbe) => void>();
  private readonly captured = new WorkerOutput((kind, text) => this.note(kind, text));
  readonly intervalMs: number;

  constructor(private readonly options: EngineOptions) {
    this.intervalMs = options.intervalMs ?? 1000;
  }

  get state(): RunState {
    return this.aggregator.current;
  }

  /** Users the workers run now, and the target they are ramping to. */
  get users(): {readonly current: number; readonly target: number} {
    return {current: this.sentUsers, target: this.targetUsers};
  }

  onState(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Notes an event in the run's log (shown live and kept in reports). */
  event(kind: 'info' | 'users' | 'warning' | 'failure', text: string, at?: number): void {
    this.aggregator.event(kind, text, at);
  }

  /** Starts a new segment (a step, a stage) for per-stage figures, from the next interval on. */
  cut(label: string, kind: SegmentKind = 'step'): void {
    this.aggregator.segments.cut(label, kind);
  }

  /** Spawns the workers and waits until each has loaded the workload. */
  async start(): Promise<void> {
    const count = Math.max(1, this.options.workers ?? os.availableParallelism());
    const ready: Promise<void>[] = [];
    for (let workerId = 0; workerId < count; workerId++) ready.push(this.spawn(workerId, count));
    try {
      await Promise.all(ready);
    } catch (error) {
      await Promise.all(this.workers.map((w) => w.terminate()));
      throw error;
    }
    this.aggregator = new Aggregator(Date.now(), this.options.maxEndpoints ?? 200);
    for (const [kind, text] of this.early ?? []) this.aggregator.event(kind, text);
    this.early = undefined;
    this.cpu = process.cpuUsage();
    this.cpuAt = performance.now();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
  }

  /** Starts worker `workerId` of `count` (or a replacement for one that died); resolves once it loaded the workload. */
  private spawn(workerId: number, count: number): Promise<void> {
    const init: WorkerInit = {
      workerId,
      workerCount: count,
      workload: this.options.workload,
      host: this.options.host,
      timeoutMs: this.options.timeoutMs ?? 30_000,
      maxBodyBytes: this.options.maxBodyBytes ?? 1 << 20,
      maxEndpoints: this.options.maxEndpoints ?? 200,
      insecure: this.options.insecure ?? false,
      taskTimeoutMs: this.options.taskTimeoutMs ?? 60_000,
      maxRps: this.options.maxRps === undefined ? undefined : this.options.maxRps / count,
    };
    // Console output is captured, not inherited (see worker-output.ts).
    const worker = spawnWorker('../worker/main', {workerData: init, stdout: true, stderr: true});
    this.workers[workerId] = worker;
    this.captured.capture(workerId, worker);
    return new Promise((resolve, reject) => {
      let ready = false;
      let cause: string | undefined;
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'ready') {
          ready = true;
          resolve();
        } else if (m.type === 'fatal') {
          if (ready) this.note('warning', `worker ${workerId}: ${m.message.split('\n')[0]}`);
          else reject(new EngineError(m.message));
        } else if (m.type === 'snapshot') this.receive(m.snapshot);
        else if (m.type === 'probe') this.probes.get(worker)?.(m.probe);
      });
      worker.on('error', (error) => {
        cause = String(error?.message ?? error).split('\n')[0];
        if (!ready) {
          this.fatal ??= String(error?.stack ?? error);
          reject(error);
        }
      });
      worker.on('exit', (code) => {
        if (!ready) reject(new EngineError(`worker ${workerId} exited (code ${code}) before it was ready`));
        else this.died(workerId, worker, cause ?? `exit code ${code}`);
      });
    });
  }

  /**
   * A worker ended while the run goes on. What it measured up to its end came in its last snapshot; its
   * users restart on a replacement with the same share (same user numbers), which runs their onStart again.
   */
  private died(workerId: number, worker: Worker, cause: string): void {
    if (this.stopped || this.workers[workerId] !== worker) return;
    // Closed model: its share of the users asked for (as the worker computes it). Open model: what it last reported.
    const count = this.workers.length;
    const users = this.targetRate !== undefined ? this.activeUsers.get(workerId) ?? 0
      : this.sentUsers <= workerId ? 0 : Math.ceil((this.sentUsers - workerId) / count);
    const what = this.targetRate !== undefined ? `its share of the arrival rate (it ran ${users} users)` : `its ${users} users`;
    this.activeUsers.set(workerId, 0);
    if (this.replacements >= MAX_REPLACEMENTS) {
      this.dead.add(workerId);
      this.note('warning', `worker ${workerId} died (${cause}) and is not replaced (${MAX_REPLACEMENTS} replacements already): ${what} stay lost`);
      return;
    }
    this.replacements++;
    this.note('warning', `worker ${workerId} died (${cause}); a new worker takes over ${what}`);
    this.spawn(workerId, count).then(() => {
      if (this.stopped) return; // the shutdown stops it
      const replacement = this.workers[workerId];
      if (this.targetRate !== undefined) replacement.postMessage({type: 'setRate', perSecond: this.targetRate, maxUsers: this.maxUsers} satisfies ControlMessage);
      else replacement.postMessage({type: 'setUsers', total: this.sentUsers} satisfies ControlMessage);
      this.note('info', `worker ${workerId} replaced; its users restarted`);
    }, (error) => {
      this.dead.add(workerId);
      this.note('warning', `worker ${workerId} could not be replaced: ${String(error?.message ?? error).split('\n')[0]}`);
    });
  }

  /** Notes an event, also before the run started. */
  private note(kind: 'info' | 'warning', text: string): void {
    if (this.early) this.early.push([kind, text]);
    else this.aggregator.event(kind, text);
  }

  /** The workers' console output (stdout and stderr), counted: captured rather than written to the terminal. */
  get output(): {readonly lines: number; readonly bytes: number; readonly droppedBytes: number} {
    return this.captured.counts;
  }

  /** Listens to the workers' console output (a headless run may print it). */
  onOutput(listener: (workerId: number, text: string) => void): () => void {
    return this.captured.listen(listener);
  }

  /** Debug: each live worker's open handles and heap, for leak checks. */
  async probe(timeoutMs = 2000): Promise<WorkerProbe[]> {
    const answers = this.workers.filter((_, id) => !this.dead.has(id)).map((w) => new Promise<WorkerProbe | undefined>((resolve) => {
      const timer = setTimeout(() => { this.probes.delete(w); resolve(undefined); }, timeoutMs);
      this.probes.set(w, (probe) => {
        clearTimeout(timer);
        this.probes.delete(w);
        resolve(probe);
      });
      w.postMessage({type: 'probe'} satisfies ControlMessage);
    }));
    return (await Promise.all(answers)).filter((p): p is WorkerProbe => p !== undefined);
  }

  /**
   * Asks for `users` virtual users, reached at `spawnRate` users a second (Infinity: at once).
   * Safe to call at any moment, also mid-ramp: the ramp restarts from where it is.
   */
  setUsers(users: number, spawnRate = this.spawnRate): void {
    this.targetUsers = Math.max(0, Math.floor(users));
    this.spawnRate = spawnRate > 0 ? spawnRate : Infinity;
    this.rampFrom = this.sentUsers;
    this.rampStartedAt = performance.now();
    if (!this.rampTimer) this.rampTimer = setInterval(() => this.ramp(), RAMP_TICK_MS);
    this.ramp();
  }

  private ramp(): void {
    const seconds = (performance.now() - this.rampStartedAt) / 1000;
    // The first user starts (or stops) at once, then one every 1/spawnRate s, as Locust does: counting from
    // zero held every ramp's first user back a whole tick (100 ms before a scenario's first request).
    const step = this.spawnRate === Infinity ? Infinity : Math.floor(this.spawnRate * seconds) + 1;
    const next = this.targetUsers > this.rampFrom
      ? Math.min(this.targetUsers, this.rampFrom + step)
      : Math.max(this.targetUsers, this.rampFrom - step);
    if (next !== this.sentUsers) {
      this.sentUsers = next;
      this.broadcast({type: 'setUsers', total: next});
    }
    if (next === this.targetUsers && this.rampTimer) {
      clearInterval(this.rampTimer);
      this.rampTimer = undefined;
    }
  }

  /**
   * Open model: `perSecond` iterations a second (each a request in quick mode, a task in a scenario),
   * started on schedule whatever the target does, by at most `maxUsers` users.
   */
  setRate(perSecond: number, maxUsers: number): void {
    this.targetRate = Math.max(0, perSecond);
    this.maxUsers = maxUsers;
    this.broadcast({type: 'setRate', perSecond: this.targetRate, maxUsers});
  }

  /** The open model's target rate (iterations/s), when one was set. */
  get rate(): {readonly perSecond: number; readonly maxUsers: number} | undefined {
    return this.targetRate === undefined ? undefined : {perSecond: this.targetRate, maxUsers: this.maxUsers};
  }

  private broadcast(message: ControlMessage): void {
    for (const w of this.workers) w.postMessage(message);
  }

  private tick(): void {
    const seq = ++this.seq;
    this.pending.set(seq, []);
    this.broadcast({type: 'snapshot', seq});
    // A busy worker may answer late: fold what arrived after half an interval; late answers join the next tick.
    setTimeout(() => this.close(seq), Math.min(500, this.intervalMs / 2)).unref();
  }

  private receive(snapshot: IntervalSnapshot): void {
    const bucket = this.pending.get(snapshot.seq);
    if (!bucket) {
      this.late.push(snapshot);
      return;
    }
    bucket.push(snapshot);
    if (bucket.length === this.workers.length - this.dead.size) this.close(snapshot.seq);
  }

  private close(seq: number): void {
    const snapshots = this.pending.get(seq);
    if (!snapshots) return;
    this.pending.delete(seq);
    // No worker answered in time (a saturated or busy host): publishing would put an interval of 0 req/s in
    // the series, and the late answers would then double the next. Skipped, the next interval spans both.
    if (snapshots.length === 0 && this.late.length === 0) return;
    this.publish(snapshots);
  }

  private publish(fresh: IntervalSnapshot[], final = false): void {
    const snapshots = this.late.length > 0 ? [...this.late, ...fresh] : fresh;
    this.late = [];
    const now = performance.now();
    const cpu = process.cpuUsage(this.cpu);
    const cpuCores = (cpu.user + cpu.system) / 1000 / Math.max(1, now - this.cpuAt);
    this.cpu = process.cpuUsage();
    this.cpuAt = now;
    // The final snapshots report the users each worker ran up to the stop. A snapshot numbered -1 outside
    // the shutdown is a dying worker's last: its users are gone from it.
    for (const snap of snapshots) this.activeUsers.set(snap.health.workerId, snap.seq === -1 && !final ? 0 : snap.health.users);
    let users = 0;
    for (const n of this.activeUsers.values()) users += n;
    // A run shorter than one interval has no worker report of its users yet: what was asked for ran.
    if (final && this.activeUsers.size === 0) users = this.sentUsers;
    const targetUsers = this.targetRate === undefined ? this.targetUsers : this.maxUsers;
    const state = this.aggregator.tick(snapshots, {at: Date.now(), users, targetUsers, cpuCores, rate: this.targetRate});
    for (const listener of this.listeners) listener(state);
  }

  /** Stops every user (each finishes its current request, up to `graceMs`), folds the last partial interval and ends the workers. */
  stop(graceMs = 2000): Promise<RunState> {
    this.stopped ??= this.shutdown(graceMs);
    return this.stopped;
  }

  private async shutdown(graceMs: number): Promise<RunState> {
    clearInterval(this.timer);
    clearInterval(this.rampTimer);
    for (const seq of [...this.pending.keys()]) this.close(seq);
    const finals = this.workers.filter((_, id) => !this.dead.has(id)).map((w) => new Promise<IntervalSnapshot | undefined>((resolve) => {
      const onMessage = (m: WorkerMessage) => { if (m.type === 'stopped') resolve(m.snapshot); };
      w.on('message', onMessage);
      w.once('exit', () => resolve(undefined));
      setTimeout(() => resolve(undefined), graceMs + 1000).unref();
    }));
    this.broadcast({type: 'stop', graceMs});
    const snapshots = (await Promise.all(finals)).filter((s): s is IntervalSnapshot => s !== undefined);
    this.pending.clear();
    this.publish(snapshots, true);
    this.sentUsers = 0;
    await Promise.all(this.workers.map((w) => w.terminate()));
    return this.aggregator.finish();
  }
}
